/*
 * The value of one hexadecimal digit, for the decoders that read escapes
 * and colours (percent-encoding, regex \x escapes, btop's "#rrggbb").
 */
#ifndef BASE_HEX_H
#define BASE_HEX_H

#include <stdint.h>

/* 0-15 for 0-9, a-f and A-F; -1 for anything else. */
static inline int
hex_digit(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (int)(c - 'A' + 10);
    return -1;
}

#endif
