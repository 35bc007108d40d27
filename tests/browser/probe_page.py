#!/usr/bin/env python3
"""probe_page.py — wraps a report page for the browser test's layout probe.

usage: probe_page.py REPORT.html WIDTH OUT.html

OUT.html shows REPORT.html in an iframe WIDTH CSS px wide (headless chromium will not
make a window narrower than 500 px, but an iframe can be) and tall enough never to
scroll, and, once everything has loaded, appends a line "PROBE {json}" to itself with
what the laid-out report holds: <svg> panels, those laid out larger than 100×50 px with
child elements, those with a data mark (path.ln/.dt/.br), the smallest chart font size
on screen (px), figure cards, tables, viewport width, page scroll width and height.
`chromium --headless --dump-dom OUT.html` prints it.  The report itself has no script;
the probe lives only in this wrapper (srcdoc frames share the wrapper's origin).
"""
import html
import sys

PROBE = """
window.addEventListener("load", function () {
  var f = document.getElementById("report"), d = f.contentDocument, w = f.contentWindow;
  var r = {svg: 0, drawn: 0, marks: 0, minText: 1e9}, svgs = d.querySelectorAll("svg:not(.ebar)"); /* figure panels, not the table's error bars */
  r.svg = svgs.length;
  for (var i = 0; i < svgs.length; i++) {
    var s = svgs[i], b = s.getBoundingClientRect(), t = s.querySelectorAll("text");
    var scale = b.width / s.viewBox.baseVal.width; /* screen px per user unit */
    if (s.children.length > 0 && b.width > 100 && b.height > 50) r.drawn++;
    if (s.querySelector("path.ln, path.dt, path.br")) r.marks++;
    for (var j = 0; j < t.length; j++) {
      var px = parseFloat(w.getComputedStyle(t[j]).fontSize) * scale;
      if (px < r.minText) r.minText = px;
    }
  }
  r.figures = d.querySelectorAll("section.card[id^='fig-']").length;
  r.tables = d.querySelectorAll("section.card[id^='tab-'] table").length;
  r.width = w.innerWidth;
  r.scrollWidth = d.documentElement.scrollWidth;
  r.height = Math.ceil(d.body.getBoundingClientRect().height);
  var p = document.createElement("pre");
  p.textContent = "PROBE " + JSON.stringify(r);
  document.body.appendChild(p);
});
"""


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    page = open(sys.argv[1], encoding="utf-8").read()
    width = int(sys.argv[2])
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>probe</title>'
                '<style>body{margin:0}iframe{border:0;display:block}</style></head><body>'
                '<iframe id="report" style="width:%dpx;height:30000px" srcdoc="%s"></iframe>'
                '<script>%s</script></body></html>' % (width, html.escape(page, quote=True), PROBE))


if __name__ == "__main__":
    main()
