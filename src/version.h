/*
 * The promdeck version, as shown by --version and sent in the User-Agent
 * of every scrape. Nothing else lives here.
 */
#ifndef SRC_VERSION_H
#define SRC_VERSION_H

#define PROMDECK_VERSION "0.1.0"

#endif
