/*
** report.h — the analysis report: report.json (docs/report-format.md) rendered
** as one self-contained HTML page with inline SVG figures (docs/report.md).
**
** The page needs no network, no external script, font or stylesheet and no
** JavaScript.  Every section of report.json is optional apart from the
** "format" and "version" keys: a missing section leaves out its figure or
** table.  Rendering only reads the document, so the same report.json always
** gives the same page.
*/
#ifndef GAPKIT_REPORT_H
#define GAPKIT_REPORT_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  format identification  ====*/
#define GK_REPORT_FORMAT "gapkit-report" /* value of the "format" key */
#define GK_REPORT_VERSION 1              /* newest "version" this library reads */

/*====  rendering  ====*/

/*! gk_report_render_html() : renders the report.json text `report_json`
 *  (NUL-terminated UTF-8) as an HTML page.  Scatter panels draw at most
 *  2000 rows per modality, picked at a fixed stride.
 *  @return : GK_OK; GK_EARG (NULL argument); GK_EFORMAT (not JSON, not an
 *            object, "format" is not "gapkit-report", or "version" is
 *            missing or newer than GK_REPORT_VERSION; the message gives the
 *            line and column of a syntax error); GK_ENOMEM.
 *  *html : caller owns; free with gk_free().  NULL on failure.
 *  Thread-safe: uses no global state. */
int gk_report_render_html(const char *report_json, char **html);

/*! gk_report_render_file() : reads the report.json at `report_path`, renders
 *  it as gk_report_render_html() does and writes the page to `html_path`
 *  atomically (a temporary file renamed into place; an existing file is kept
 *  on failure).
 *  @return : GK_OK; GK_EIO (cannot read or write; the message names the
 *            file); GK_EFORMAT (as above, prefixed with report_path);
 *            GK_EARG; GK_ENOMEM. */
int gk_report_render_file(const char *report_path, const char *html_path);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_REPORT_H */
