/* SHA-256 (FIPS 180-4), for the digest of a run's policy in reports. */
#ifndef PICOVISOR_SHA256_H
#define PICOVISOR_SHA256_H

#include <stddef.h>

/* The digest of data as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
