/*
** cmd_report.c — `gapkit report render REPORT.json [--out PAGE.html]`: turns
** a report.json (docs/report-format.md, written by `gapkit analyze`) into its
** self-contained HTML page again, e.g. after a newer gapkit improved the
** figures.  The rendering is gk_report_render_file(); this file only parses.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_json.h"

enum { OPT_OUT = 1 };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gapkit report render REPORT.json [--out PAGE.html] [--json] [--quiet]\n"
            "Renders a report.json (format gapkit-report, docs/report-format.md) as one\n"
            "self-contained HTML page with inline SVG figures (docs/report.md): no network,\n"
            "no scripts.  Sections missing from the document are left out of the page.\n\n"
            "options:\n"
            "  --out PAGE.html  where to write the page (default: REPORT with .json replaced\n"
            "                   by .html); written atomically\n"
            "  --json           print {\"report\": …, \"html\": …} instead of the summary line\n"
            "  --quiet          print nothing on success\n"
            "  --help           this text\n"
            "exit status: 0 ok, 1 usage error, 2 unreadable or invalid report, 3 internal\n");
}

/* REPORT.json → REPORT.html (a name without .json gets .html appended);
** malloc'd, NULL when out of memory. */
static char *default_out(const char *report)
{
    size_t n = strlen(report);
    if (n >= 5 && !strcmp(report + n - 5, ".json")) n -= 5;
    char *out = malloc(n + 6);
    if (!out) return NULL;
    memcpy(out, report, n);
    memcpy(out + n, ".html", 6);
    return out;
}

static int render(const char *report, const char *out_opt, const cli_common *c)
{
    char *out = out_opt ? NULL : default_out(report);
    const char *path = out_opt ? out_opt : out;
    if (!path) return cli_fail("report", gk_set_error(GK_ENOMEM, "out of memory"));
    int rc = gk_report_render_file(report, path), status = CLI_OK;
    if (rc != GK_OK) status = cli_fail("report", rc);
    else if (c->json)
        status = cli_json_print("report", json_pack("{s:s, s:s}", "report", report, "html", path));
    else if (!c->quiet)
        printf("wrote %s\n", path);
    free(out);
    return status;
}

static int parse_option(const char *cmd, int opt, const char *arg, void *ctx)
{
    if (opt != OPT_OUT) return cli_usage(cmd, "unknown option (see --help)");
    *(const char **)ctx = arg;
    return CLI_OK;
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {{"out", required_argument, 0, OPT_OUT},
                                         CLI_COMMON_OPTIONS,
                                         {0, 0, 0, 0}};
    cli_common c;
    const char *out = NULL;
    int help = 0, r;
    cli_common_init(&c);
    if ((r = cli_getopt("report", argc, argv, opts, &c, parse_option, &out, &help))) return r;
    if (help) {
        usage(stdout);
        return CLI_OK;
    }
    if (optind >= argc) return cli_usage("report", "expected a subcommand: render");
    if (strcmp(argv[optind], "render"))
        return cli_usage("report", "unknown subcommand '%s' (expected render)", argv[optind]);
    if (argc - optind != 2) return cli_usage("report", "render expects one REPORT.json");
    return render(argv[optind + 1], out, &c);
}
