/*
 * The promdeck version, as shown by --version and sent in the User-Agent
 * of every scrape. Nothing else lives here.
 */
#ifndef BASE_VERSION_H
#define BASE_VERSION_H

#define PROMDECK_VERSION "0.1.0"

#endif
