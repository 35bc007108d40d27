/*
** cli_common.c — error printing, checked numbers, shared options and the
** loading of paired inputs for every subcommand.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gapkit: incorrect parameter: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nsee 'gapkit help %s'\n", cmd ? cmd : "");
    return CLI_USAGE;
}

int cli_fail(const char *cmd, int rc)
{
    /* library messages start with their function ("comet apply: …"); when that
    ** repeats the command's own name, print it once */
    const char *msg = gk_last_error();
    const size_t n = strlen(cmd);
    if (!strncmp(msg, cmd, n) && msg[n] == ':' && msg[n + 1] == ' ') msg += n + 2;
    fprintf(stderr, "gapkit %s: %s\n", cmd, msg);
    if (rc == GK_EINTERNAL || rc == GK_ENOMEM || rc == GK_EBLAS) return CLI_INTERNAL;
    return CLI_INPUT;
}

int cli_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

int cli_parse_f64(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) return -1;
    *out = v;
    return 0;
}

void cli_common_init(cli_common *c)
{
    memset(c, 0, sizeof *c);
    c->normalize = 1;
}

const char *cli_visible(const char *s, char *buf, size_t size)
{
    size_t o = 0, n = strlen(s);
    for (size_t i = 0; i < n && o + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        int hidden = c < 0x20 || c == 0x7F || (c == ' ' && i == n - 1);
        if (hidden) o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
        else buf[o++] = (char)c;
    }
    buf[o < size ? o : size - 1] = '\0';
    return buf;
}

static char option_name[64]; /* "--name" of the option being parsed */

const char *cli_option_name(void) { return option_name; }

int cli_getopt(const char *cmd, int argc, char **argv, const struct option *longopts,
               cli_common *c, cli_option_fn fn, void *ctx, int *help)
{
    int opt, r, idx = -1;
    optind = 1;
    /* the leading ':' makes a missing value ':' rather than '?' (unknown) */
    while ((opt = getopt_long(argc, argv, ":", longopts, &idx)) != -1) {
        snprintf(option_name, sizeof option_name, "--%s", idx >= 0 ? longopts[idx].name : "");
        idx = -1;
        if (opt == OPT_HELP) return *help = 1, CLI_OK;
        if (opt == ':') return cli_usage(cmd, "%s needs a value", argv[optind - 1]);
        /* a short option inside a group (-xy) is named by optopt, not argv */
        if (opt == '?' && optopt > ' ' && optopt < 127)
            return cli_usage(cmd, "unknown option '-%c' (see --help)", optopt);
        if (opt == '?') return cli_usage(cmd, "unknown option '%s' (see --help)", argv[optind - 1]);
        if ((r = cli_common_option(cmd, opt, optarg, c)) < 0) return CLI_USAGE;
        if (r == 0 && (r = fn(cmd, opt, optarg, ctx)) != CLI_OK) return r;
    }
    return CLI_OK;
}

int cli_common_option(const char *cmd, int opt, const char *arg, cli_common *c)
{
    int64_t v;
    switch (opt) {
    case OPT_LABELS: c->labels = arg; return 1;
    case OPT_PROMPT_LABELS: c->prompt_labels = arg; return 1;
    case OPT_PAIR_BY_LABEL: c->pair_by_label = 1; return 1;
    case OPT_NO_NORMALIZE: c->normalize = 0; return 1;
    case OPT_JSON: c->json = 1; return 1;
    case OPT_QUIET: c->quiet = 1; return 1;
    case OPT_THREADS:
        if (cli_parse_i64(arg, 0, 4096, &v)) {
            cli_usage(cmd, "--threads %s (expected an integer 0..4096)", arg);
            return -1;
        }
        c->threads = (int)v;
        gk_set_threads(cli_threads_within_limit(c->threads));
        return 1;
    case OPT_SEED:
        if (cli_parse_i64(arg, 0, INT64_MAX, &v)) {
            cli_usage(cmd, "--seed %s (expected an integer 0..%lld)", arg, (long long)INT64_MAX);
            return -1;
        }
        c->seed = (uint64_t)v;
        return 1;
    default: return 0;
    }
}

int cli_load_one(const char *cmd, const char *spec, int normalize, gk_mat **out)
{
    gk_load_opts o = gk_load_opts_default();
    o.normalize = normalize;
    int rc = gk_load_matrix(spec, &o, out);
    return rc == GK_OK ? CLI_OK : cli_fail(cmd, rc);
}

static int pair_by_label(const char *cmd, cli_pairs *p)
{
    int rc;
    if (!p->x_labels || !p->y_labels) {
        gk_set_error(GK_EARG, "--pair-by-label needs --labels and --prompt-labels");
        return cli_fail(cmd, GK_EARG);
    }
    p->pair_index = gk_malloc((size_t)p->x->rows * sizeof(int64_t));
    if (!p->pair_index) return cli_fail(cmd, GK_ENOMEM);
    if ((rc = gk_labels_match(p->x_labels, p->y_labels, p->pair_index)) != GK_OK)
        return cli_fail(cmd, rc);
    p->y_prompts = p->y;
    p->y = NULL;
    if ((rc = gk_mat_select_rows(p->y_prompts, p->pair_index, p->x->rows, &p->y)) != GK_OK)
        return cli_fail(cmd, rc);
    return CLI_OK;
}

static int load_pairs(const char *cmd, const char *xspec, const char *yspec, const cli_common *c,
                      cli_pairs *p)
{
    int rc;
    memset(p, 0, sizeof *p);
    if ((rc = cli_load_one(cmd, xspec, c->normalize, &p->x))) return rc;
    if ((rc = cli_load_one(cmd, yspec, c->normalize, &p->y))) return rc;
    if (c->labels &&
        (rc = gk_labels_read_rows(c->labels, p->x->rows, xspec, &p->x_labels)) != GK_OK)
        return cli_fail(cmd, rc);
    if (c->prompt_labels &&
        (rc = gk_labels_read_rows(c->prompt_labels, p->y->rows, yspec, &p->y_labels)) != GK_OK)
        return cli_fail(cmd, rc);
    if (c->pair_by_label) return pair_by_label(cmd, p);
    return cli_check_paired(cmd, xspec, p->x, yspec, p->y, 1, 0);
}

int cli_check_label_count(const char *cmd, const char *spec, const gk_labels *l,
                          const gk_mat *m, const char *mspec)
{
    if (l->n == m->rows) return CLI_OK;
    gk_set_error(GK_ESHAPE, "%s has %lld labels but %s has %lld rows", spec, (long long)l->n,
                 mspec, (long long)m->rows);
    return cli_fail(cmd, GK_ESHAPE);
}

/* On failure nothing stays loaded (the callers may return at once). */
int cli_load_pairs(const char *cmd, const char *xspec, const char *yspec, const cli_common *c,
                   cli_pairs *p)
{
    int rc = load_pairs(cmd, xspec, yspec, c, p);
    if (rc != CLI_OK) cli_pairs_free(p);
    return rc;
}

int cli_check_paired(const char *cmd, const char *xspec, const gk_mat *x, const char *yspec,
                     const gk_mat *y, int same_rows, int same_dim)
{
    if (same_rows && x->rows != y->rows) {
        gk_set_error(GK_ESHAPE,
                     "%s has %lld rows but %s has %lld: rows are paired by index "
                     "(use --pair-by-label to pair by class)",
                     xspec, (long long)x->rows, yspec, (long long)y->rows);
        return cli_fail(cmd, GK_ESHAPE);
    }
    if (same_dim && x->cols != y->cols) {
        gk_set_error(GK_ESHAPE, "%s has dimension %lld but %s has %lld: the two must live in "
                     "one space (same D)", xspec, (long long)x->cols, yspec,
                     (long long)y->cols);
        return cli_fail(cmd, GK_ESHAPE);
    }
    return CLI_OK;
}

void cli_pairs_free(cli_pairs *p)
{
    gk_mat_free(p->x);
    gk_mat_free(p->y);
    gk_mat_free(p->y_prompts);
    gk_labels_free(p->x_labels);
    gk_labels_free(p->y_labels);
    gk_free(p->pair_index);
    memset(p, 0, sizeof *p);
}

void cli_print_json(const char *json)
{
    fputs(json, stdout);
    fputc('\n', stdout);
}

int cli_fold_values(const char *cmd, const char *split_csv, const char *labels_spec,
                    const char *column, int64_t n_rows, char ***v, int64_t *n)
{
    char path[4096];
    const char *colon = labels_spec ? strrchr(labels_spec, ':') : NULL;
    if (split_csv) snprintf(path, sizeof path, "%s", split_csv);
    else if (colon && colon - labels_spec >= 4 && !strncmp(colon - 4, ".csv", 4))
        snprintf(path, sizeof path, "%.*s", (int)(colon - labels_spec), labels_spec);
    else
        return cli_usage(cmd, "--split fold:%s needs --split-csv FILE.csv (or --labels "
                         "FILE.csv:COLUMN)", column);
    int st = gk_csv_column(path, column, v, n);
    if (st != GK_OK) return cli_fail(cmd, st);
    if (*n == n_rows) return CLI_OK;
    gk_set_error(GK_ESHAPE, "%s has %lld rows but the inputs have %lld", path, (long long)*n,
                 (long long)n_rows);
    return cli_fail(cmd, GK_ESHAPE);
}

int cli_train_specs(const char *cmd, const char *list, gk_train_opts *out, int cap, int *n)
{
    char buf[4096], *save = NULL;
    snprintf(buf, sizeof buf, "%s", list);
    *n = 0;
    for (char *t = strtok_r(buf, "; ", &save); t; t = strtok_r(NULL, "; ", &save)) {
        if (*n == cap) return cli_usage(cmd, "--train: more than %d heads", cap);
        if (gk_train_spec_parse(t, &out[*n]) != GK_OK)
            return cli_usage(cmd, "--train %s: %s", t, gk_last_error());
        ++*n;
    }
    return *n ? CLI_OK : cli_usage(cmd, "--train needs at least one LOSS[:KEY=V,…]");
}

int cli_no_subcommand(int argc, char **argv, void (*usage)(FILE *), int *rc)
{
    if (argc >= 2 && strcmp(argv[1], "--help") && strcmp(argv[1], "-h")) return 0;
    usage(argc < 2 ? stderr : stdout);
    *rc = argc < 2 ? CLI_USAGE : CLI_OK;
    return 1;
}
