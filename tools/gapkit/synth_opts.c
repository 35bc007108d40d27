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
    int64_t v;
    double x;
    switch (c) {
    case SO_N:
        if (cli_parse_i64(arg, 2, INT64_C(100000000), &v)) goto bad;
        o->n = v;
        return 1;
    case SO_D:
        if (cli_parse_i64(arg, 4, 8192, &v)) goto bad;
        o->d = v;
        return 1;
    case SO_K:
        if (cli_parse_i64(arg, 0, 8192, &v)) goto bad;
        o->k_shared = v;
        return 1;
    case SO_PRIVATE:
        if (cli_parse_i64(arg, 0, 8192, &v)) goto bad;
        o->n_private = v;
        return 1;
    case SO_CLASSES:
        if (cli_parse_i64(arg, 0, 100000, &v)) goto bad;
        o->n_classes = (int)v;
        return 1;
    case SO_SEED:
        if (cli_parse_i64(arg, 0, INT64_MAX, &v)) goto bad;
        o->seed = (uint64_t)v;
        return 1;
    case SO_GAP:
        if (cli_parse_f64(arg, 0, 100, &x)) goto bad;
        o->gap = x;
        return 1;
    case SO_NOISE:
        if (cli_parse_f64(arg, 0, 100, &x)) goto bad;
        o->noise = x;
        return 1;
    default: return 0;
    }
bad:
    cli_usage(cmd, "bad value '%s' for a generator option", arg);
    return -1;
}
