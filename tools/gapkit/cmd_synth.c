/*
** cmd_synth.c — `gapkit synth --out DIR`: write the synthetic paired data set
** (text.npy, audio.npy, labels.txt, axes.npy, truth.json) for experiments.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_json.h"
#include "synth_opts.h"

enum { OPT_OUT = 1 };

typedef struct synth_args {
    gk_synth_opts o;
    const char *out;
} synth_args;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit synth --out DIR [options]\n"
            "Writes paired embeddings with a known structure: DIR/text.npy, DIR/audio.npy\n"
            "(N,D) float32, DIR/labels.txt (class of each item), DIR/axes.npy (K,D) the\n"
            "true shared axes, DIR/truth.json (the generator's parameters).\n\n");
    synth_opts_usage(f);
}

static int write_labels(const char *path, const gk_synth *s, int64_t n)
{
    gk_outfile *f;
    int rc = gk_outfile_open(path, &f);
    if (rc != GK_OK) return rc;
    for (int64_t i = 0; i < n; i++) fprintf(gk_outfile_stream(f), "class%02d\n", s->label[i]);
    return gk_outfile_commit(f);
}

/* truth.json: the generator's parameters, to compare what gapkit finds
** against.  @return : a gk status (GK_ENOMEM if the document cannot be built). */
static int write_truth(const char *path, const gk_synth_opts *o)
{
    json_t *doc = json_pack(
        "{s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:i, s:b, s:I}",
        "generator", "gapkit synth", "n", (json_int_t)o->n, "d", (json_int_t)o->d, "k_shared",
        (json_int_t)o->k_shared, "corr_first", cli_json_num(o->corr_first), "corr_last",
        cli_json_num(o->corr_last), "scale_first", cli_json_num(o->scale_first), "scale_last",
        cli_json_num(o->scale_last), "n_private", (json_int_t)o->n_private, "private_scale",
        cli_json_num(o->private_scale), "gap", cli_json_num(o->gap), "cone",
        cli_json_num(o->cone), "noise", cli_json_num(o->noise), "n_classes", o->n_classes,
        "normalize", o->normalize, "seed", (json_int_t)o->seed);
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(doc);
    size_t len = text ? strlen(text) : 0;
    char *line = text ? malloc(len + 2) : NULL; /* a text file ends with a newline */
    if (line) memcpy(line, text, len), line[len] = '\n', line[len + 1] = '\0';
    int rc = line ? gk_write_text_atomic(path, line)
                  : gk_set_error(GK_ENOMEM, "out of memory for %s", path);
    free(text), free(line);
    return rc;
}

static int write_all(const char *dir, const gk_synth *s, const gk_synth_opts *o)
{
    char path[4096];
    int rc;
    snprintf(path, sizeof path, "%s/text.npy", dir);
    if ((rc = gk_npy_write(path, s->text))) return rc;
    snprintf(path, sizeof path, "%s/audio.npy", dir);
    if ((rc = gk_npy_write(path, s->audio))) return rc;
    snprintf(path, sizeof path, "%s/axes.npy", dir);
    if ((rc = gk_npy_write(path, s->axes))) return rc;
    if (s->label) {
        snprintf(path, sizeof path, "%s/labels.txt", dir);
        if ((rc = write_labels(path, s, o->n))) return rc;
    }
    snprintf(path, sizeof path, "%s/truth.json", dir);
    return write_truth(path, o);
}

static int parse_option(const char *cmd, int opt, const char *arg, void *ctx)
{
    synth_args *a = ctx;
    int r;
    if (opt == OPT_OUT) {
        a->out = arg;
        return CLI_OK;
    }
    if ((r = synth_parse_option(cmd, opt, arg, &a->o)) == 1) return CLI_OK;
    return r < 0 ? CLI_USAGE : cli_usage(cmd, "unknown option (see --help)");
}

/* No CLI_COMMON_OPTIONS: synth has its own --seed (SYNTH_LONG_OPTIONS) and no
** use for the others, so cli_getopt gets a cli_common that stays unused. */
int cmd_synth(int argc, char **argv)
{
    static const struct option longopts[] = {SYNTH_LONG_OPTIONS,
                                             {"out", required_argument, 0, OPT_OUT},
                                             {"help", no_argument, 0, OPT_HELP},
                                             {0, 0, 0, 0}};
    synth_args a = {gk_synth_opts_default(), NULL};
    cli_common unused;
    int help = 0, r;
    cli_common_init(&unused);
    if ((r = cli_getopt(argv[0], argc, argv, longopts, &unused, parse_option, &a, &help)))
        return r;
    if (help) {
        usage(stdout);
        return CLI_OK;
    }
    const char *out = a.out;
    if (!out) return cli_usage(argv[0], "--out DIR is required");
    if (optind < argc) return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gapkit synth: %s: cannot create directory: %s\n", out, strerror(errno));
        return CLI_INPUT;
    }
    gk_synth *s;
    int rc = gk_synth_generate(&a.o, &s);
    if (rc) return cli_fail(argv[0], rc);
    rc = write_all(out, s, &a.o);
    gk_synth_free(s);
    if (rc) return cli_fail(argv[0], rc);
    printf("wrote %s/{text,audio,axes}.npy, %struth.json: n = %lld, d = %lld, "
           "%lld shared axes\n", out, a.o.n_classes > 0 ? "labels.txt, " : "", (long long)a.o.n,
           (long long)a.o.d, (long long)a.o.k_shared);
    return CLI_OK;
}
