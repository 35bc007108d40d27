/*
** rng.c — xoshiro256** (Blackman & Vigna) seeded by splitmix64.
** Hand-written because the C library's rand() is neither portable nor good,
** and results must be identical on every machine for a given seed.
*/
#include <math.h>

#include "gapkit/core.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void gk_rng_seed(gk_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
}

uint64_t gk_rng_next(gk_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double gk_rng_uniform(gk_rng *r)
{
    return (double)(gk_rng_next(r) >> 11) * 0x1.0p-53; /* 53 random mantissa bits */
}

double gk_rng_normal(gk_rng *r)
{
    double u1 = 1.0 - gk_rng_uniform(r); /* in (0, 1]: log is finite */
    double u2 = gk_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

uint64_t gk_rng_below(gk_rng *r, uint64_t n)
{
    /* Rejection removes the modulo bias of a plain `next % n`. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = gk_rng_next(r);
    while (x >= limit);
    return x % n;
}

void gk_rng_shuffle(gk_rng *r, int64_t *idx, int64_t n)
{
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)gk_rng_below(r, (uint64_t)i + 1);
        int64_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}
