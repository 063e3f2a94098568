/*
 * `promdeck --list-dashboards`: every dashboard -d NAME can open, by
 * name, with its title and the file it lives in, found where -d looks
 * (src/base/datadir.h). It loads each file only to read its title.
 *
 * Ownership: nothing is kept; out is borrowed for the call.
 */
#ifndef SRC_CMD_DASHBOARDS_H
#define SRC_CMD_DASHBOARDS_H

#include <stdio.h>

/*
 * Prints a NAME, TITLE, FILE table sorted by name to out: for each name
 * the file -d NAME opens (a name found in an earlier directory hides the
 * same name further on). A file that does not load is listed with a note
 * instead of a title. With no dashboards, says where it looked. Returns
 * the exit status, 0.
 */
int cmd_list_dashboards(FILE *out);

#endif
