/*
** synth_opts.c — parsing of the synthetic generator's options.
*/
#include "synth_opts.h"

void synth_opts_usage(FILE *f)
{
    gk_synth_opts o = gk_synth_opts_default();
    fprintf(f,
            "generator options:\n"
            "  --n N          items (default %lld)\n"
            "  --d D          dimension (default %lld)\n"
            "  --k K          shared concept axes (default %lld)\n"
            "  --gap G        distance between the modality means before normalisation (default %g)\n"
            "  --noise S      isotropic noise per coordinate (default %g)\n"
            "  --private P    private axes per modality (default %lld)\n"
            "  --classes C    classes of items, 0 for none (default %d)\n"
            "  --seed S       random seed (default %llu)\n",
            (long long)o.n, (long long)o.d, (long long)o.k_shared, o.gap, o.noise,
            (long long)o.n_private, o.n_classes, (unsigned long long)o.seed);
}

int synth_parse_option(const char *cmd, int c, const char *arg, gk_synth_opts *o)
{
    int64_t v, lo, hi;
    double x, xlo, xhi;
    switch (c) {
    case SO_N:
        if (cli_parse_i64(arg, lo = 2, hi = INT64_C(100000000), &v)) goto bad_int;
        o->n = v;
        return 1;
    case SO_D:
        if (cli_parse_i64(arg, lo = 4, hi = 8192, &v)) goto bad_int;
        o->d = v;
        return 1;
    case SO_K:
        if (cli_parse_i64(arg, lo = 0, hi = 8192, &v)) goto bad_int;
        o->k_shared = v;
        return 1;
    case SO_PRIVATE:
        if (cli_parse_i64(arg, lo = 0, hi = 8192, &v)) goto bad_int;
        o->n_private = v;
        return 1;
    case SO_CLASSES:
        if (cli_parse_i64(arg, lo = 0, hi = 100000, &v)) goto bad_int;
        o->n_classes = (int)v;
        return 1;
    case SO_SEED:
        if (cli_parse_i64(arg, lo = 0, hi = INT64_MAX, &v)) goto bad_int;
        o->seed = (uint64_t)v;
        return 1;
    case SO_GAP:
        if (cli_parse_f64(arg, xlo = 0, xhi = 100, &x)) goto bad_real;
        o->gap = x;
        return 1;
    case SO_NOISE:
        if (cli_parse_f64(arg, xlo = 0, xhi = 100, &x)) goto bad_real;
        o->noise = x;
        return 1;
    default: return 0;
    }
bad_int:
    cli_usage(cmd, "%s %s (expected an integer %lld..%lld)", cli_option_name(), arg, (long long)lo,
              (long long)hi);
    return -1;
bad_real:
    cli_usage(cmd, "%s %s (expected a number %g..%g)", cli_option_name(), arg, xlo, xhi);
    return -1;
}
