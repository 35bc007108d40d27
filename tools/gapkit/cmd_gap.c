/*
** cmd_gap.c — `gapkit gap X Y`: every modality-gap diagnostic of
** methods.md §2 as a readable table, or --json; `gapkit gap V1 V2 V3 …`:
** the same for every pair of views, summarised one line per pair.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_json.h"
#include "cli_views.h"

enum { OPT_TOP_M = 1, OPT_SUBSPACE_K, OPT_N_PC, OPT_FOLDS, OPT_SEP_CAP, OPT_NO_SEP };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit gap X Y [options]\n"
            "       gapkit gap V1 V2 V3 … [options]   (up to %d views: every pair)\n"
            "Modality-gap diagnostics of paired embeddings (row i of X with row i of Y):\n"
            "centroid gap, RMG, cone effect, true/non-pair cosine, mean share, linear\n"
            "separability, gap concentration, effective rank, principal angles, W2 uniformity.\n"
            "With three or more views (row i of every view is the same item) each pair gets\n"
            "the same diagnostics: one summary line per pair, or all of them with --json.\n\n"
            "  --labels L --prompt-labels P --pair-by-label   pair rows of X with the rows of Y\n"
            "                       that carry the same label (e.g. clip ↔ class prompt)\n"
            "  --top-m LIST         m values for the top-m concentration (default 1,5,10,20,50,100,200)\n"
            "  --subspace-k K       principal angles between top-K subspaces (default 10)\n"
            "  --n-pc N             pooled principal directions for the concentration (default 10)\n"
            "  --folds F            cross-validation folds of the separability (default 5)\n"
            "  --sep-cap N          subsample to N pairs for the separability (default 20000)\n"
            "  --no-separability    skip the classifier\n"
            "  --seed S             subsampling and folds (default 0)\n"
            "  --no-normalize       keep rows as they are (default: L2-normalise)\n"
            "  --json               print a JSON document instead of the table\n"
            "  --threads N          threads (0 = all)\n",
            GK_ALIGN_MAX_VIEWS);
}

/* "1,5,10" → o->top_m */
static int parse_top_m(const char *cmd, const char *s, gk_gap_opts *o)
{
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s", s);
    o->n_top_m = 0;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int64_t v;
        if (o->n_top_m == GK_GAP_MAX_TOP_M || cli_parse_i64(t, 1, INT32_MAX, &v))
            return cli_usage(cmd, "--top-m %s (expected up to %d positive integers, "
                             "comma-separated)", s, GK_GAP_MAX_TOP_M);
        o->top_m[o->n_top_m++] = v;
    }
    return o->n_top_m ? CLI_OK : cli_usage(cmd, "--top-m needs at least one value");
}

static int parse_gap_option(const char *cmd, int c, const char *arg, void *ctx)
{
    gk_gap_opts *o = ctx;
    int64_t v;
    switch (c) {
    case OPT_TOP_M: return parse_top_m(cmd, arg, o);
    case OPT_NO_SEP: o->separability = 0; return CLI_OK;
    case OPT_SUBSPACE_K:
    case OPT_N_PC:
    case OPT_SEP_CAP:
        if (cli_parse_i64(arg, 1, INT64_MAX, &v))
            return cli_usage(cmd, "%s %s (expected a positive integer)", cli_option_name(), arg);
        if (c == OPT_SUBSPACE_K) o->subspace_k = v;
        else if (c == OPT_N_PC) o->n_pc = v;
        else o->sep_cap = v;
        return CLI_OK;
    case OPT_FOLDS:
        if (cli_parse_i64(arg, 2, 100, &v))
            return cli_usage(cmd, "--folds %s (expected an integer 2..100)", arg);
        o->cv_folds = (int)v;
        return CLI_OK;
    default: return cli_usage(cmd, "unknown option (see --help)");
    }
}

static void print_row(const char *name, double v, const char *note)
{
    if (isnan(v)) printf("  %-34s %12s  %s\n", name, "n/a", note);
    else printf("  %-34s %12.5f  %s\n", name, v, note);
}

static void print_cross(const gk_gap_result *r)
{
    print_row("centroid gap |muX - muY|", r->gap, "L2M (Liang et al. 2022)");
    print_row("relative modality gap (RMG)", r->rmg, "d = (1-cos)/2; d_tp/((d_xx+d_yy)/2+d_tp)");
    print_row("true-pair cosine", r->cos_true, "mean over the N pairs");
    print_row("non-pair cosine", r->cos_nonpair, "mean over the N(N-1) non-pairs");
    print_row("mean term muX.muY", r->mean_term, "");
    print_row("centred term, true pairs", r->centred_true, "");
    print_row("centred term, non-pairs", r->centred_nonpair, "");
    print_row("mean share of true-pair cosine", r->mean_share_true, "mean term / cosine");
    print_row("mean share of non-pair cosine", r->mean_share_nonpair, "");
    if (r->sep_done) {
        char note[128];
        snprintf(note, sizeof note, "%d-fold CV logistic regression, %lld rows/modality%s",
                 r->sep_folds, (long long)r->sep_rows, r->sep_subsampled ? " (subsampled)" : "");
        print_row("linear separability (accuracy)", r->sep_accuracy, note);
    }
    print_row("W2 uniformity (stacked rows)", r->w2_uniformity, "ModGap; 0 = uniform");
    printf("\ngap concentration: share of |Delta|^2\n");
    for (int q = 0; q < r->n_top_m; q++)
        printf("  top %-5lld coordinates %8.4f\n", (long long)r->top_m[q], r->top_m_share[q]);
    for (int64_t j = 0; j < r->n_pc; j++)
        printf("  pooled PCs 1..%-4lld     %8.4f\n", (long long)(j + 1), r->pc_share[j]);
    printf("\nprincipal angles between the top-%lld subspaces (degrees):\n ",
           (long long)r->subspace_k);
    for (int64_t j = 0; j < r->subspace_k; j++)
        isnan(r->angles[j]) ? printf(" n/a") : printf(" %.1f", r->angles[j]);
    printf("\n");
}

/* Principal angles past a view's covariance rank are undefined (NaN, null in
** JSON): say why on stderr, whatever the output mode. */
static void warn_undefined_angles(const char *cmd, const gk_gap_result *r)
{
    int64_t defined = 0;
    while (r->angles && defined < r->subspace_k && !isnan(r->angles[defined])) defined++;
    if (!r->angles || defined == r->subspace_k) return;
    fprintf(stderr, "gapkit %s: warning: only %lld of the %lld principal angles are defined: "
            "a view's covariance has rank %lld%s\n", cmd, (long long)defined,
            (long long)r->subspace_k, (long long)defined,
            defined == 0 ? " (all its rows are equal)" : "");
}

static void print_table(const gk_gap_result *r)
{
    printf("pairs %lld, D = %lld / %lld%s\n\n", (long long)r->n, (long long)r->dx,
           (long long)r->dy, cli_ranks_note());
    print_row("|muX|", r->norm_mean_x, "norm of the X centroid");
    print_row("|muY|", r->norm_mean_y, "norm of the Y centroid");
    print_row("cone effect X", r->cone_x, "mean off-diagonal cosine within X");
    print_row("cone effect Y", r->cone_y, "mean off-diagonal cosine within Y");
    print_row("effective rank X", r->erank_x, "exp(entropy of cov. eigenvalues)");
    print_row("effective rank Y", r->erank_y, "");
    print_row("participation ratio X", r->pr_x, "(sum l)^2 / sum l^2");
    print_row("participation ratio Y", r->pr_y, "");
    if (r->same_dim) print_cross(r);
    else printf("\nX and Y have different dimensions (%lld, %lld): the gap and every "
                "cross-modal measure need equal D and were not computed\n",
                (long long)r->dx, (long long)r->dy);
}

static int run(const char *cmd, const char *xs, const char *ys, const cli_common *c,
               gk_gap_opts *o)
{
    cli_pairs p;
    gk_gap_result *r = NULL;
    char *json = NULL;
    int rc = cli_load_pairs(cmd, xs, ys, c, &p);
    if (rc) return rc;
    o->seed = c->seed;
    int st = gk_gap_diagnose(p.x, p.y, o, &r);
    if (st == GK_OK) warn_undefined_angles(cmd, r);
    if (st == GK_OK && c->json) st = gk_gap_to_json(r, &json);
    if (st != GK_OK) rc = cli_fail(cmd, st);
    else if (json) cli_print_json(json);
    else print_table(r);
    gk_free(json);
    gk_gap_result_free(r);
    cli_pairs_free(&p);
    return rc;
}

/* Under MPI: each rank reads its rows of X and Y (a file or @LIST of shards,
** dist.h), the diagnostics are summed over the ranks, rank 0 prints. */
static int run_dist(const char *cmd, const char *xs, const char *ys, const cli_common *c,
                    gk_gap_opts *o)
{
    if (c->labels || c->prompt_labels || c->pair_by_label)
        return cli_usage(cmd, "under MPI, gap pairs rows by index (not --labels, "
                         "--prompt-labels or --pair-by-label)");
    gk_shard *x, *y;
    gk_gap_result *r = NULL;
    char *json = NULL;
    int st = gk_shard_open_pair(xs, ys, c->normalize, &x, &y), rc = CLI_OK;
    if (st != GK_OK) return cli_fail(cmd, st);
    o->seed = c->seed;
    st = gk_dist_gap(&x->rows, &y->rows, o, &r);
    if (st == GK_OK && gk_dist_rank() == 0) {
        warn_undefined_angles(cmd, r);
        if (c->json && (st = gk_gap_to_json(r, &json)) == GK_OK)
            rc = cli_json_print(cmd, cli_json_parse(json)); /* says "ranks" */
        else if (!c->json) print_table(r);
    }
    if (st != GK_OK) rc = cli_fail(cmd, st);
    gk_free(json);
    gk_gap_result_free(r);
    gk_shard_free(x), gk_shard_free(y);
    return rc;
}

/* v with 5 decimals in buf, or "n/a" (cross-modal measures when Dx != Dy,
** the separability when skipped). */
static const char *num5(double v, char buf[16])
{
    if (isnan(v)) return "n/a";
    snprintf(buf, 16, "%.5f", v);
    return buf;
}

/* One line per pair of views: the headline numbers of each diagnosis. */
static void print_pairs(gk_gap_result *const *r, int m, char **files)
{
    printf("%d views, %lld items; every pair (X = first, Y = second):\n\n", m,
           (long long)r[0]->n);
    printf("  %-4s %-4s %9s %9s %10s %10s %9s %8s %8s\n", "X", "Y", "gap", "RMG", "cos true",
           "cos non", "sep acc", "cone X", "cone Y");
    for (int a = 0, p = 0; a < m; a++)
        for (int b = a + 1; b < m; b++, p++) {
            const gk_gap_result *q = r[p];
            char b1[16], b2[16], b3[16], b4[16], b5[16];
            printf("  %-4d %-4d %9s %9s %10s %10s %9s %8.4f %8.4f\n", a, b, num5(q->gap, b1),
                   num5(q->rmg, b2), num5(q->cos_true, b3), num5(q->cos_nonpair, b4),
                   num5(q->sep_done ? q->sep_accuracy : NAN, b5), q->cone_x, q->cone_y);
        }
    printf("\n");
    for (int a = 0; a < m; a++) printf("  view %d: %s\n", a, files[a]);
}

/* gapkit gap V1 … Vm (m >= 3): the diagnostics of every pair of views. */
static int run_views(const char *cmd, int m, char **files, const cli_common *c, gk_gap_opts *o)
{
    cli_views in;
    gk_gap_result *r[GK_ALIGN_MAX_VIEWS * (GK_ALIGN_MAX_VIEWS - 1) / 2] = {0};
    const int np = m * (m - 1) / 2;
    char *json = NULL;
    int rc = cli_views_load(cmd, c, NULL, m, files, &in), st = GK_OK;
    o->seed = c->seed;
    for (int a = 0, p = 0; rc == CLI_OK && st == GK_OK && a < m; a++)
        for (int b = a + 1; st == GK_OK && b < m; b++, p++) {
            st = gk_gap_diagnose(in.views[a], in.views[b], o, &r[p]);
            if (st != GK_OK) gk_error_prepend(st, files[b]), gk_error_prepend(st, files[a]);
        }
    if (rc == CLI_OK && st == GK_OK && c->json)
        st = gk_gap_views_to_json((const gk_gap_result *const *)r, m,
                                  (const char *const *)files, &json);
    if (rc == CLI_OK && st != GK_OK) rc = cli_fail(cmd, st);
    else if (rc == CLI_OK && json) cli_print_json(json);
    else if (rc == CLI_OK) print_pairs(r, m, files);
    gk_free(json);
    for (int p = 0; p < np; p++) gk_gap_result_free(r[p]);
    cli_views_free(&in);
    return rc;
}

int cmd_gap(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"top-m", required_argument, 0, OPT_TOP_M},
        {"subspace-k", required_argument, 0, OPT_SUBSPACE_K},
        {"n-pc", required_argument, 0, OPT_N_PC},
        {"folds", required_argument, 0, OPT_FOLDS},
        {"sep-cap", required_argument, 0, OPT_SEP_CAP},
        {"no-separability", no_argument, 0, OPT_NO_SEP},
        {0, 0, 0, 0}};
    cli_common c;
    gk_gap_opts o = gk_gap_opts_default();
    int help = 0, r;
    cli_common_init(&c);
    if ((r = cli_getopt(argv[0], argc, argv, longopts, &c, parse_gap_option, &o, &help)))
        return r;
    if (help) {
        usage(stdout);
        return CLI_OK;
    }
    const int m = argc - optind;
    if (m < 2 || m > GK_ALIGN_MAX_VIEWS)
        return cli_usage(argv[0], "expected two inputs X Y, or up to %d views",
                         GK_ALIGN_MAX_VIEWS);
    if (gk_dist_active() && m > 2)
        return cli_usage(argv[0], "under MPI, gap takes two inputs X Y (not %d views)", m);
    if (gk_dist_active()) return run_dist(argv[0], argv[optind], argv[optind + 1], &c, &o);
    if (m > 2) return run_views(argv[0], m, argv + optind, &c, &o);
    return run(argv[0], argv[optind], argv[optind + 1], &c, &o);
}
