# conformance/build.mk - build rules of conformance/, included by the top-level Makefile.
