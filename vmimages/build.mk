# vmimages/build.mk - build rules of vmimages/, included by the top-level Makefile.
