# dwarf/build.mk - build rules of dwarf/, included by the top-level Makefile.
