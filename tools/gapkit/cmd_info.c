/*
** cmd_info.c — `gapkit info FILE…`: what each embedding file holds (shape,
** dtype, byte order, C/Fortran order, memory-mapped or not, row-norm
** statistics, NaN/Inf counts, exact duplicate rows), as a table or --json.
** The measuring is gk_inspect_file(); this file only parses and prints.
** Exit status: 0 when every file is usable, 2 when one could not be read or
** holds NaN/Inf (those are still described).
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit info [--json] FILE[:SEL]…\n"
            "Describes embedding files: shape, dtype, byte order, C/Fortran order, whether the\n"
            "file is memory-mapped, L2 row-norm min/mean/max, NaN/Inf counts, exact duplicate\n"
            "rows.  FILE is .npy (FILE:INDEX picks a view of an (M,N,D) array), .npz\n"
            "(FILE:MEMBER), GloVe/word2vec text (.txt, .vec) or word2vec binary (.bin).\n\n"
            "options:\n"
            "  --json      one JSON document {\"files\": [...]} on stdout\n"
            "  --quiet     no table; only the exit status and errors\n"
            "  --help      this text\n"
            "exit status: 0 all files usable, 1 usage error, 2 a file is unreadable or holds\n"
            "NaN/Inf (the others are still reported)\n");
}

static void print_table(const gk_inspect *r)
{
    const gk_array_info *in = &r->info;
    printf("%s\n", r->spec);
    printf("  shape        %lld x %lld", (long long)r->rows, (long long)r->cols);
    if (in->ndim == 3)
        printf("   (view %lld of (%lld, %lld, %lld))", (long long)in->view,
               (long long)in->shape[0], (long long)in->shape[1], (long long)in->shape[2]);
    printf("\n  format       %s, %s, %s-endian, %s order\n", in->format, in->dtype,
           in->byte_order, in->fortran_order ? "Fortran" : "C");
    printf("  storage      %s\n", in->mmapped ? "memory-mapped (copy-on-write)" : "read into memory");
    printf("  row norms    min %.6g  mean %.6g  max %.6g\n", r->norm_min, r->norm_mean,
           r->norm_max);
    printf("  NaN / Inf    %lld / %lld\n", (long long)r->n_nan, (long long)r->n_inf);
    printf("  zero rows    %lld\n", (long long)r->n_zero_rows);
    printf("  duplicates   %lld rows\n", (long long)r->n_duplicate_rows);
}

/* NaN/Inf make a file unusable as input: say so on stderr. */
static int report_nonfinite(const gk_inspect *r)
{
    if (!r->n_nan && !r->n_inf) return CLI_OK;
    fprintf(stderr, "gapkit info: %s: %lld NaN and %lld Inf values (first at row %lld, "
                    "column %lld); expected only finite numbers\n",
            r->spec, (long long)r->n_nan, (long long)r->n_inf, (long long)r->first_bad_row,
            (long long)r->first_bad_col);
    return CLI_INPUT;
}

static int print_json(const gk_inspect *res, int64_t n)
{
    char *text;
    int rc = gk_inspect_json(res, n, &text);
    if (rc != GK_OK) return cli_fail("info", rc);
    cli_print_json(text);
    gk_free(text);
    return CLI_OK;
}

/* Inspects every file; the worst exit status wins. */
static int run(char **files, int n, const cli_common *c)
{
    gk_inspect *res = gk_calloc((size_t)(n ? n : 1), sizeof *res);
    if (!res) return cli_fail("info", GK_ENOMEM);
    int status = CLI_OK, k = 0;
    for (int i = 0; i < n; i++) {
        int rc = gk_inspect_file(files[i], &res[k]), st;
        if (rc != GK_OK) st = cli_fail("info", rc);
        else {
            if (!c->json && !c->quiet) print_table(&res[k]);
            st = report_nonfinite(&res[k++]);
        }
        if (st > status) status = st;
    }
    if (c->json) {
        int st = print_json(res, k);
        if (st > status) status = st;
    }
    gk_free(res);
    return status;
}

/* info takes only the shared options, which cli_getopt handles itself:
** nothing reaches this. */
static int no_option(const char *cmd, int opt, const char *arg, void *ctx)
{
    (void)opt, (void)arg, (void)ctx;
    return cli_usage(cmd, "unknown option (see --help)");
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {0, 0, 0, 0}};
    cli_common c;
    int help = 0, r;
    cli_common_init(&c);
    if ((r = cli_getopt("info", argc, argv, opts, &c, no_option, NULL, &help))) return r;
    if (help) {
        usage(stdout);
        return CLI_OK;
    }
    if (optind >= argc) return cli_usage("info", "expected at least one FILE");
    return run(argv + optind, argc - optind, &c);
}
