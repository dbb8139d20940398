/*
 * The form versions a database holds, checked before the collector
 * serves (docs/forms.md, "Versions"). Each form file the collector is to
 * serve is stored in the database as the exact bytes of its version; a
 * version stored with other bytes, or an earlier stored version that the
 * form file does not map onto itself, stops the start with every problem
 * listed, so rows of two meanings never share one version number and every
 * row stays readable.
 */
#ifndef CANDOR_VERSIONS_H
#define CANDOR_VERSIONS_H

#include <stddef.h>
#include <stdio.h>

/*
 * Check and store the forms at paths[0..n) in the database db (opened,
 * created and migrated read-write). Problems go to fp, one a line.
 * Returns 0 (all stored), 2 (refused: a changed version or a missing or
 * invalid mapping) or 1 (the database could not be used). A form file
 * that does not load is skipped here: the collector's start reports it.
 */
int versions_check_store(const char *const *paths, size_t n, const char *db,
    FILE *fp);

/*
 * collector --check-form FILE --previous OLD: load both and check the
 * mapping of FILE from OLD. Prints "FILE: ok ..." or every problem to fp;
 * returns 0 valid, 1 not.
 */
int versions_check_previous(const char *path, const char *old, FILE *fp);

#endif
