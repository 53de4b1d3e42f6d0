/* splitmix64; see rand.h. */
#include "rand.h"

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15ULL

uint64_t lin_mix64(uint64_t x)
{
	uint64_t z = x + GOLDEN_GAMMA;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t lin_splitmix64(uint64_t *state)
{
	uint64_t z = lin_mix64(*state);

	*state += GOLDEN_GAMMA;
	return z;
}
