//! HTML→text throughput on the mail corpus (`benches/corpus/`, made by `benches/gen_corpus.py`),
//! side by side in the same run with `w3m -dump` and `lynx -dump`, each run once per mail (as a
//! mail reader calls them). Prints figures, asserts nothing.
//!
//! Run: `cargo bench --bench html [-- --quick] [--no-peers] [--width N] [--samples DIR]`. Lines starting with
//! `FIGURE` are read by `benches/results.sh`. `--samples DIR` writes three mails rendered by us,
//! w3m and lynx to DIR (for `benches/RESULTS.md`).
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use plannr_tui::render::html::{Body, HtmlCache, html_to_body};

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "html"));
    files.sort();
    let mails: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(p).ok()?))
        })
        .collect();
    if mails.is_empty() {
        eprintln!(
            "no corpus in {}: run `python3 benches/gen_corpus.py` first",
            dir.display()
        );
        std::process::exit(1);
    }
    mails
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn peer_args(tool: &str, width: u16, file: &Path) -> Vec<String> {
    let f = file.display().to_string();
    match tool {
        "w3m" => vec![
            "-dump".into(),
            "-T".into(),
            "text/html".into(),
            "-cols".into(),
            width.to_string(),
            f,
        ],
        _ => vec![
            "-dump".into(),
            "-force_html".into(),
            "-nomargins".into(),
            format!("-width={width}"),
            f,
        ],
    }
}

/// Run `tool -dump` once per mail; total wall time.
fn peer(tool: &str, width: u16, dir: &Path, mails: &[(String, String)]) -> Duration {
    let t = Instant::now();
    for (name, _) in mails {
        let _ = Command::new(tool)
            .args(peer_args(tool, width, &dir.join(name)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    t.elapsed()
}

fn peer_text(tool: &str, width: u16, file: &Path) -> String {
    Command::new(tool)
        .args(peer_args(tool, width, file))
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// Our body as the thread view shows it: quotes with a bar per level, links listed.
fn ours_text(b: &Body) -> String {
    let mut s = String::new();
    for l in &b.lines {
        for _ in 0..l.quote_depth {
            s.push_str("│ ");
        }
        s.push_str(&l.text);
        s.push('\n');
    }
    if !b.links.is_empty() {
        s.push('\n');
        for (i, l) in b.links.iter().enumerate() {
            s.push_str(&format!("[{}] {l}\n", i + 1));
        }
    }
    s
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let width: u16 = arg("--width").and_then(|w| w.parse().ok()).unwrap_or(100);
    let mails = corpus();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/corpus");
    let bytes: usize = mails.iter().map(|(_, h)| h.len()).sum();
    let n = mails.len();
    println!(
        "corpus: {n} mails, {:.2} MB of HTML, width {width}",
        bytes as f64 / 1e6
    );

    // Ours: every mail converted, the whole corpus timed; median of several rounds.
    let rounds = if quick { 3 } else { 9 };
    let mut times = Vec::new();
    let mut out_bytes = 0usize;
    for _ in 0..rounds {
        let t = Instant::now();
        out_bytes = 0;
        for (_, html) in &mails {
            let b = black_box(html_to_body(html, width));
            out_bytes += b.lines.iter().map(|l| l.text.len() + 1).sum::<usize>();
        }
        times.push(t.elapsed());
    }
    times.sort();
    let ours = times[times.len() / 2];
    let per = ms(ours) / n as f64;
    println!(
        "ours: {:.1} ms for the corpus, {per:.3} ms per mail, {:.1} MB/s of HTML, {:.2} MB of text out",
        ms(ours),
        bytes as f64 / 1e6 / ours.as_secs_f64(),
        out_bytes as f64 / 1e6
    );
    println!("FIGURE html_ours_ms_per_mail {per:.4}");
    println!(
        "FIGURE html_ours_mb_s {:.1}",
        bytes as f64 / 1e6 / ours.as_secs_f64()
    );
    println!("FIGURE html_out_mb {:.2}", out_bytes as f64 / 1e6);
    println!("FIGURE html_in_mb {:.2}", bytes as f64 / 1e6);
    println!("FIGURE html_mails {n}");

    // A width change re-converts (off the UI thread); going back to a width is a cache hit.
    let (biggest, _) = mails
        .iter()
        .enumerate()
        .max_by_key(|(_, (_, h))| h.len())
        .map(|(i, m)| (i, m.1.len()))
        .unwrap_or((0, 0));
    let html = &mails[biggest].1;
    let mut cache = HtmlCache::default();
    let t = Instant::now();
    black_box(cache.convert(html, width - 20));
    let miss = t.elapsed();
    let t = Instant::now();
    for _ in 0..100 {
        black_box(cache.convert(html, width - 20));
    }
    let hit = t.elapsed() / 100;
    println!(
        "largest mail ({:.0} KB): re-layout at a new width {:.2} ms; cached width {:.3} ms",
        html.len() as f64 / 1e3,
        ms(miss),
        ms(hit)
    );
    println!("FIGURE html_relayout_ms {:.3}", ms(miss));
    println!("FIGURE html_cache_hit_ms {:.4}", ms(hit));

    let peers = !std::env::args().any(|a| a == "--no-peers");
    for tool in ["w3m", "lynx"].into_iter().filter(|_| peers) {
        if !have(tool) {
            println!("{tool}: not installed (benches/results.sh installs it)");
            continue;
        }
        let t = peer(tool, width, &dir, &mails);
        let per_peer = ms(t) / n as f64;
        println!(
            "{tool} -dump: {:.0} ms for the corpus, {per_peer:.2} ms per mail; ours is {:.1}× faster",
            ms(t),
            per_peer / per
        );
        println!("FIGURE html_{tool}_ms_per_mail {per_peer:.4}");
        println!("FIGURE html_ratio_{tool} {:.2}", per_peer / per);
    }

    if let Some(out) = arg("--samples") {
        let out = PathBuf::from(out);
        let _ = std::fs::create_dir_all(&out);
        let pick = |kind: &str| mails.iter().position(|(name, _)| name.contains(kind));
        for kind in ["newsletter", "gmail", "receipt"] {
            let Some(i) = pick(kind) else { continue };
            let (name, html) = &mails[i];
            let w = 72;
            let ours = ours_text(&html_to_body(html, w));
            let _ = std::fs::write(out.join(format!("{kind}.name")), name);
            let _ = std::fs::write(out.join(format!("{kind}.ours.txt")), ours);
            for tool in ["w3m", "lynx"] {
                if have(tool) {
                    let text = peer_text(tool, w, &dir.join(name));
                    let _ = std::fs::write(out.join(format!("{kind}.{tool}.txt")), text);
                }
            }
        }
        println!("samples written to {}", out.display());
    }
}
