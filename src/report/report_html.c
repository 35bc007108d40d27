/*
** report_html.c — the report page: checks that the input is a gapkit
** report, writes the HTML skeleton and its stylesheet, the card and panel
** frames the figures sit in, and calls each section in reading order.
** The stylesheet is inline and uses system fonts only, so the page works
** offline from a single file; the palette is Okabe–Ito (colour-blind safe).
*/
#include <string.h>

#include "core/error_internal.h"
#include "gapkit/io.h"
#include "report_internal.h"

static const char report_css[] =
    ":root{--fg:#1f2430;--muted:#5d6675;--bg:#f5f6f8;--card:#fff;--line:#e1e4ea;"
    "--grid:#eceef2}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
    "body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,"
    "-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",\"Noto Sans\",\"Liberation Sans\","
    "Arial,sans-serif}\n"
    "main{max-width:1120px;margin:0 auto;padding:32px 20px 48px}\n"
    "h1{font-size:28px;line-height:1.2;margin:0 0 6px;font-weight:650}\n"
    "h2{font-size:19px;line-height:1.3;margin:0 0 2px;font-weight:600}\n"
    "h3{font-size:14px;margin:0 0 4px;font-weight:600;color:var(--muted)}\n"
    ".sub{color:var(--muted);margin:0 0 20px;overflow-wrap:anywhere}\n"
    ".card{background:var(--card);border:1px solid var(--line);border-radius:12px;"
    "padding:20px 22px;margin:0 0 20px;box-shadow:0 1px 2px rgba(16,24,40,.04)}\n"
    ".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;"
    "margin:0 0 20px}\n"
    ".tile{background:var(--card);border:1px solid var(--line);border-radius:12px;"
    "padding:12px 16px}\n"
    ".tile .k{font-size:13px;color:var(--muted)}\n"
    ".tile .v{font-size:26px;font-weight:600;line-height:1.3;font-variant-numeric:tabular-nums}\n"
    ".tile .h{font-size:12px;color:var(--muted);overflow-wrap:anywhere}\n"
    "dl.inputs{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:8px 0 0;"
    "font-size:14px}\n"
    "dl.inputs dt{color:var(--muted)}\n"
    "dl.inputs dd{margin:0;overflow-wrap:anywhere}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0 10px;font-size:14px;"
    "color:var(--muted)}\n"
    ".legend:empty{display:none}\n"
    ".sw{display:inline-block;width:16px;height:3px;border-radius:2px;background:var(--c);"
    "vertical-align:middle;margin-right:6px}\n"
    ".sw.d{width:10px;height:10px;border-radius:50%}\n"
    ".sw.b{width:12px;height:12px;border-radius:2px}\n"
    ".sw.m{height:0;border-top:2px dashed var(--c);background:none}\n"
    ".panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,360px),1fr));"
    "gap:14px 28px;justify-items:center;margin-top:8px}\n"
    ".panel{width:100%;max-width:560px;margin:0}\n"
    ".panel svg{display:block;width:100%;height:auto}\n"
    ".caption{color:var(--muted);font-size:14px;margin:12px 0 0;max-width:80ch}\n"
    "svg text{fill:#3b4250;font-family:inherit}\n"
    ".tk{font-size:13px}.al{font-size:14px;fill:#1f2430}\n"
    "svg .ml{font-size:13px;font-weight:600;fill:var(--c)}\n"
    ".grid{stroke:var(--grid);stroke-width:1}.axis{stroke:#8b93a1;stroke-width:1;fill:none}\n"
    ".ln{fill:none;stroke:var(--c);stroke-width:2;stroke-linejoin:round}\n"
    ".dt{fill:none;stroke:var(--c);stroke-linecap:round}\n"
    ".br{fill:var(--c)}\n"
    ".mk{stroke:var(--c);stroke-width:1.5;stroke-dasharray:5 4;fill:none}\n"
    ".op{opacity:.55}\n"
    ".c-x{--c:#0072B2}.c-y{--c:#E69F00}.c-k{--c:#D55E00}.c-g{--c:#009E73}"
    ".c-p{--c:#CC79A7}.c-s{--c:#56B4E9}.c-n{--c:#4b5563}\n"
    ".tablebox,.table-wrap{width:100%}\n"
    ".table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}\n"
    "table{border-collapse:collapse;width:100%;font-size:14px;"
    "font-variant-numeric:tabular-nums}\n"
    "th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:right;"
    "white-space:nowrap}\n"
    "th:first-child,td:first-child{text-align:left}\n"
    "thead th{font-weight:600;color:var(--muted);vertical-align:bottom;white-space:normal}\n"
    "table.compare thead th{min-width:5.5em}\n"
    "td.best{font-weight:700}\n"
    ".star{color:#D55E00;margin-left:3px}\n"
    "table.items td{white-space:normal;text-align:left;vertical-align:top}\n"
    "table.items th{text-align:left}\n"
    "footer{color:var(--muted);font-size:13px;margin-top:28px}\n"
    ".hint{display:none}\n"
    "@media (max-width:640px){main{padding:18px 12px 32px}h1{font-size:23px}"
    ".card{padding:14px;border-radius:10px}.tile .v{font-size:22px}"
    ".tk{font-size:15.5px}.al{font-size:16.5px}svg .ml{font-size:15px}"
    ".hint{display:block;color:var(--muted);font-size:13px;margin:0 0 4px}"
    "table.compare tr>:first-child{position:sticky;left:0;background:var(--card);"
    "white-space:normal;min-width:7.5em}"
    "table.items thead{display:none}"
    "table.items tr{display:block;padding:8px 0;border-bottom:1px solid var(--line)}"
    "table.items td{display:block;border:0;padding:2px 0}"
    "table.items td::before{content:attr(data-k) \": \";color:var(--muted);font-weight:600}"
    "th,td{padding:6px 8px}}\n";

/*==== frames used by every section ====*/

void report_card_begin(report_ctx *c, const char *id, const char *title, const report_key *keys,
                       int nkeys)
{
    rbuf_printf(c->b, "<section class=\"card\" id=\"%s\"><h2>", id);
    rbuf_escape(c->b, title);
    rbuf_puts(c->b, "</h2><div class=\"legend\">");
    for (int i = 0; i < nkeys; i++) {
        if (!keys[i].shown) continue;
        rbuf_printf(c->b, "<span><span class=\"sw %c %s\"></span>", keys[i].kind, keys[i].cls);
        rbuf_escape(c->b, keys[i].label);
        rbuf_puts(c->b, "</span>");
    }
    rbuf_puts(c->b, "</div><div class=\"panels\">\n");
}

void report_card_end(report_ctx *c, const char *caption, const char *detail)
{
    rbuf_puts(c->b, "</div><p class=\"caption\">");
    rbuf_puts(c->b, caption);
    if (detail) {
        rbuf_puts(c->b, " ");
        rbuf_escape(c->b, detail);
    }
    rbuf_puts(c->b, "</p></section>\n");
}

void report_panel_begin(report_ctx *c, const char *title)
{
    rbuf_puts(c->b, "<figure class=\"panel\"><h3>");
    rbuf_escape(c->b, title);
    rbuf_puts(c->b, "</h3>");
}

void report_panel_end(report_ctx *c) { rbuf_puts(c->b, "</figure>\n"); }

/*==== the document ====*/

/* Name of view i from inputs.views[i].name, else `fallback`. */
static const char *view_name(const json_t *root, size_t i, const char *fallback)
{
    const json_t *views = rjson_arr(rjson_obj(root, "inputs"), "views");
    const char *name = rjson_str(json_array_get(views, i), "name");
    return name && *name ? name : fallback;
}

/* GK_OK when root is a gapkit report this library can read; messages start
** with `name` (the file, or "report"). */
static int check_header(const json_t *root, const char *name)
{
    GK_FAIL_IF(!json_is_object(root), GK_EFORMAT,
               "%s: expected a JSON object at the top level, got %s", name,
               json_is_array(root) ? "an array" : "a scalar");
    const char *format = rjson_str(root, "format");
    GK_FAIL_IF(!format || strcmp(format, GK_REPORT_FORMAT), GK_EFORMAT,
               "%s: key \"format\" must be \"%s\", got %s%s%s", name, GK_REPORT_FORMAT,
               format ? "\"" : "", format ? format : "nothing", format ? "\"" : "");
    const json_t *v = json_object_get(root, "version");
    GK_FAIL_IF(!json_is_integer(v), GK_EFORMAT, "%s: key \"version\" must be an integer", name);
    json_int_t ver = json_integer_value(v);
    GK_FAIL_IF(ver < 1 || ver > GK_REPORT_VERSION, GK_EFORMAT,
               "%s: version %lld is not readable by this gapkit (reads 1..%d)", name,
               (long long)ver, GK_REPORT_VERSION);
    return GK_OK;
}

static void page_begin(report_ctx *c)
{
    rbuf_puts(c->b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>gapkit report: ");
    rbuf_escape(c->b, c->name_x);
    rbuf_puts(c->b, " vs ");
    rbuf_escape(c->b, c->name_y);
    rbuf_printf(c->b, "</title>\n<style>\n%s</style></head>\n<body><main>\n", report_css);
}

static void page_end(report_ctx *c)
{
    const char *made_by = rjson_str(c->root, "gapkit_version");
    rbuf_puts(c->b, "<footer>Written by gapkit ");
    rbuf_escape(c->b, made_by ? made_by : "(unknown version)");
    rbuf_printf(c->b, ", rendered by gapkit %s from a %s document (version %d). This page is "
                      "self-contained: it needs no network and no scripts.</footer>\n"
                      "</main></body></html>\n",
                GK_VERSION_STRING, GK_REPORT_FORMAT, GK_REPORT_VERSION);
}

/* doc names the document in messages (its path, or "report"). */
static int render_doc(const json_t *root, const char *doc, char **html)
{
    rbuf b;
    rbuf_init(&b);
    rjson_type_reset();
    report_ctx c = {&b, root, view_name(root, 0, "X"), view_name(root, 1, "Y"), 0};
    page_begin(&c);
    report_summary(&c);
    report_fig_spectrum(&c);
    report_fig_axes(&c);
    report_fig_projection(&c);
    report_fig_nngs(&c);
    report_fig_sweep(&c);
    report_table_compare(&c);
    report_table_top_items(&c);
    report_table_leakage(&c);
    page_end(&c);
    if (c.oom) b.failed = 1;
    int rc = rbuf_take(&b, html);
    if (rc == GK_OK && (rc = rjson_type_error(doc)) != GK_OK) {
        gk_free(*html);
        *html = NULL;
    }
    return rc;
}

int gk_report_render_html(const char *report_json, char **html)
{
    GK_FAIL_IF(!html, GK_EARG, "gk_report_render_html: html must not be NULL");
    *html = NULL;
    GK_FAIL_IF(!report_json, GK_EARG, "gk_report_render_html: report_json must not be NULL");
    json_error_t err;
    json_t *root = json_loads(report_json, 0, &err);
    GK_FAIL_IF(!root, GK_EFORMAT, "report: not valid JSON at line %d, column %d: %s", err.line,
               err.column, err.text);
    int rc = check_header(root, "report");
    if (rc == GK_OK) rc = render_doc(root, "report", html);
    json_decref(root);
    return rc;
}

int gk_report_render_file(const char *report_path, const char *html_path)
{
    GK_FAIL_IF(!report_path || !html_path, GK_EARG, "gk_report_render_file: NULL path");
    json_error_t err;
    gk_io_note_input(report_path);
    json_t *root = json_load_file(report_path, 0, &err);
    if (!root) {
        int code = json_error_code(&err) == json_error_cannot_open_file ? GK_EIO : GK_EFORMAT;
        if (code == GK_EIO) return gk_set_error(code, "%s: %s", report_path, err.text);
        return gk_set_error(code, "%s: not valid JSON at line %d, column %d: %s", report_path,
                            err.line, err.column, err.text);
    }
    char *html = NULL;
    int rc = check_header(root, report_path);
    if (rc == GK_OK) rc = render_doc(root, report_path, &html);
    json_decref(root);
    if (rc == GK_OK) rc = gk_write_text_atomic(html_path, html);
    gk_free(html);
    return rc;
}
