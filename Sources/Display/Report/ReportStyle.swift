/// The report's inline stylesheet (no external fonts or assets).
enum ReportStyle {
    static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #f6f7f9; color: #1f2328; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
    main { max-width: 980px; margin: 0 auto; padding: 28px 22px 60px; }
    header.report { margin-bottom: 22px; }
    header.report h1 { margin: 0 0 4px; font-size: 1.7em; }
    header.report p { margin: 0; color: #57606a; }
    section.cell { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; margin: 14px 0; overflow: hidden; }
    section.cell.prose { background: transparent; border: none; padding: 0 4px; }
    .cell-head { display: flex; gap: 10px; align-items: baseline; padding: 6px 12px; background: #f0f3f6; border-bottom: 1px solid #d8dee4; font-size: 0.8em; color: #57606a; }
    .cell-head .n { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #0969da; }
    .cell-head .t { font-weight: 600; color: #1f2328; }
    .cell-head .l { margin-left: auto; }
    pre { margin: 0; padding: 10px 14px; overflow-x: auto; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    pre.source { background: #fbfcfd; }
    .out { border-top: 1px dashed #d8dee4; padding: 6px 14px; overflow-x: auto; }
    .out pre { padding: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
    .out.stdout pre { color: #24292f; }
    .out.value pre { color: #1a7f37; }
    .out.error { background: #fff5f5; border-top: 1px solid #ffcecb; }
    .out.error pre { color: #b42318; }
    .out figure { margin: 6px 0; }
    .out figure svg { max-width: 100%; height: auto; }
    .out figcaption { font-size: 0.85em; color: #57606a; }
    .k { color: #cf222e; font-weight: 600; }
    .s { color: #0a3069; }
    .i { color: #8250df; }
    .n { color: #0550ae; }
    .c { color: #6e7781; font-style: italic; }
    .f { color: #6639ba; }
    .prose h1, .prose h2, .prose h3 { margin: 0.8em 0 0.3em; }
    .prose code, .out code { background: #eff1f3; padding: 0.1em 0.3em; border-radius: 4px; font-size: 0.9em; }
    .prose pre { background: #fff; border: 1px solid #d8dee4; border-radius: 6px; }
    .prose pre code { background: none; padding: 0; }
    .prose blockquote { margin: 0.5em 0; padding-left: 12px; border-left: 3px solid #d0d7de; color: #57606a; }
    table.taalm-table { margin: 6px 0; font-size: 0.92em; }
    table.taalm-table caption { text-align: left; font-weight: 600; padding: 2px 0 4px; }
    .taalm-card { display: inline-block; min-width: 280px; max-width: 100%; margin: 6px 0; padding: 10px 14px; border: 1px solid #d8dee4; border-left: 4px solid #4e79a7; border-radius: 6px; background: #fbfcfd; }
    .taalm-card .card-kind { font-size: 0.75em; text-transform: uppercase; letter-spacing: 0.05em; color: #57606a; }
    .taalm-card .card-title { font-weight: 600; font-size: 1.05em; margin-bottom: 4px; }
    .taalm-card dl { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 4px 0; }
    .taalm-card .card-field dt { font-size: 0.78em; color: #57606a; }
    .taalm-card .card-field dd { margin: 0; font-variant-numeric: tabular-nums; }
    .taalm-card .card-field.big dd { font-size: 1.25em; font-weight: 600; color: #0550ae; }
    .taalm-card .card-note { margin: 4px 0 0; font-size: 0.85em; color: #57606a; }
    table.taalm-table strong.best { color: #1a7f37; }
    table.taalm-table td:has(strong.best) { background: #e6f6ea; }
    a { color: #0969da; }
    footer { margin-top: 30px; color: #8c959f; font-size: 0.8em; }
    """
}
