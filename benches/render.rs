//! Render benchmarks: figures, not pass/fail. Run with `cargo bench --bench render`.
//! Each figure is the median of several runs timed with `std::time::Instant`.
use std::hint::black_box;
use std::time::{Duration, Instant};

use plannr_tui::render::html::{Body, html_to_body, text_to_body};
use plannr_tui::render::sanitize;
use plannr_tui::render::wrap::{WrapCache, wrap_body};

fn median<T>(iters: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..iters)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// ~2 MB of mostly ordinary text with escapes, tabs, CJK, emoji and bidi controls mixed in.
fn mixed(size: usize) -> String {
    let chunk = "Hello team, the quarterly numbers are attached.\tSee row 3.\r\n\
                 \x1b[31mred\x1b[0m 日本語のテキスト 😀 \u{202e}rtl\u{202c} \x1b]0;t\x07ok\n";
    chunk.repeat(size / chunk.len() + 1)
}

/// A clean ~2 MB string: the fast path.
fn clean(size: usize) -> String {
    let chunk = "Plain words of an ordinary email body, nothing to strip here at all.\n";
    chunk.repeat(size / chunk.len() + 1)
}

/// A typical marketing/business email of about 20 KB: paragraphs, links, a table, a quote.
fn email(target: usize) -> String {
    let mut s =
        String::from("<html><head><style>p{margin:0}</style></head><body><div class=\"wrapper\">");
    let mut i = 0;
    while s.len() < target {
        s.push_str(&format!(
            "<p>Dear customer, thank you for your order #{i}. You can <a href=\"https://shop.example/o/{i}\">track it here</a> \
             or read our <a href=\"https://shop.example/faq\">FAQ</a>. <b>Important:</b> delivery &amp; returns apply.</p>\
             <table><tr><th>Item</th><th>Qty</th><th>Price</th></tr><tr><td>Widget {i}</td><td>2</td><td>&pound;9.99</td></tr></table>\
             <blockquote><p>&gt; On Monday you wrote: where is my parcel?</p></blockquote>\
             <img src=\"cid:logo\" alt=\"Logo\"><hr>"
        ));
        i += 1;
    }
    s.push_str("</div></body></html>");
    s
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n = if quick { 3 } else { 9 };

    let two_mb = 2 * 1024 * 1024;
    let m = mixed(two_mb);
    let t = median(n, || sanitize::block(&m));
    println!(
        "sanitize::block, 2 MB mixed:      {:8.1} MB/s  ({:.2} ms)",
        m.len() as f64 / 1e6 / t.as_secs_f64(),
        ms(t)
    );
    let c = clean(two_mb);
    let t = median(n, || sanitize::block_cow(&c).len());
    println!(
        "sanitize::block_cow, 2 MB clean:  {:8.1} MB/s  ({:.2} ms, fast path, no copy)",
        c.len() as f64 / 1e6 / t.as_secs_f64(),
        ms(t)
    );

    let e = email(20 * 1024);
    let t = median(n, || html_to_body(&e, 100));
    let b = html_to_body(&e, 100);
    println!(
        "html_to_body, {:2} KB email:        {:8.2} ms  ({} lines, {} links)",
        e.len() / 1024,
        ms(t),
        b.lines.len(),
        b.links.len()
    );
    let big = email(two_mb);
    let t = median(n.min(5), || html_to_body(&big, 100));
    let b = html_to_body(&big, 100);
    println!(
        "html_to_body, {:.1} MB email:      {:8.2} ms  ({} lines, capped at 1 MiB)",
        big.len() as f64 / 1e6,
        ms(t),
        b.lines.len()
    );

    let text: String = (0..10_000)
        .map(|i| {
            format!(
                "{}Line {i}: a fairly ordinary sentence of an email body that is long enough to need wrapping at eighty columns, with a URL https://example.com/a/very/long/path/{i}?q=1\n",
                if i % 7 == 0 { "> " } else { "" }
            )
        })
        .collect();
    let body: Body = text_to_body(&text);
    for width in [80u16, 120] {
        let t = median(n, || wrap_body(&body, width));
        println!(
            "wrap_body, 10,000 lines at {width:3}:  {:8.2} ms  ({} wrapped lines)",
            ms(t),
            wrap_body(&body, width).len()
        );
    }

    let mut cache: WrapCache = WrapCache::default();
    cache.get_or_wrap(1, 80, 0, &body);
    let reps = 100_000;
    let t = median(n, || {
        let mut total = 0;
        for _ in 0..reps {
            total += cache.get_or_wrap(black_box(1), 80, 0, &body).len();
        }
        total
    });
    println!(
        "WrapCache hit:                    {:8.1} ns per lookup",
        t.as_secs_f64() * 1e9 / reps as f64
    );
}
