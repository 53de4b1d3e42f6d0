/* splitmix64 (Steele, Lea and Flood), written once: a well-spread hash of
 * a 64-bit value, and a fast deterministic stream for seeded work (the
 * demo's people, the optimiser's seeds, where a marker sits on the plan).
 * Not for secrets: tokens and codes come from libsodium. */
#ifndef LINLI_BASE_RAND_H
#define LINLI_BASE_RAND_H

#include <stdint.h>

/* lin_mix64: splitmix64's output for state x (x + the golden gamma,
 * finalised): nearby inputs give unrelated outputs. */
uint64_t lin_mix64(uint64_t x);
/* lin_splitmix64: the next value of the stream whose state is *state. */
uint64_t lin_splitmix64(uint64_t *state);

#endif
