//! Illustrations for the demo articles, drawn as SVG at seed time: a scene per section
//! (skyline, globe, chart, landscape...) with colours and shapes varied by a seeded generator.
//! Small files, sharp at every size, and nothing fetched from anywhere.

use fastrand::Rng;
use std::fmt::Write;

pub const WIDTH: u32 = crate::server::media::DEMO_ART_SIZE.0;
pub const HEIGHT: u32 = crate::server::media::DEMO_ART_SIZE.1;

struct Palette {
    sky: [&'static str; 2],
    ink: &'static str,
    accent: &'static str,
    soft: &'static str,
}

const PALETTES: &[Palette] = &[
    Palette {
        sky: ["#1d3557", "#457b9d"],
        ink: "#0b1d33",
        accent: "#e63946",
        soft: "#a8dadc",
    },
    Palette {
        sky: ["#264653", "#2a9d8f"],
        ink: "#10262e",
        accent: "#e9c46a",
        soft: "#f4a261",
    },
    Palette {
        sky: ["#3d405b", "#81b29a"],
        ink: "#22233a",
        accent: "#f2cc8f",
        soft: "#e07a5f",
    },
    Palette {
        sky: ["#5f0f40", "#9a031e"],
        ink: "#2b0a1f",
        accent: "#fb8b24",
        soft: "#e36414",
    },
    Palette {
        sky: ["#003049", "#669bbc"],
        ink: "#001a29",
        accent: "#fdf0d5",
        soft: "#c1121f",
    },
    Palette {
        sky: ["#344e41", "#588157"],
        ink: "#1b2a22",
        accent: "#dad7cd",
        soft: "#a3b18a",
    },
    Palette {
        sky: ["#22223b", "#4a4e69"],
        ink: "#121224",
        accent: "#f2e9e4",
        soft: "#c9ada7",
    },
    Palette {
        sky: ["#7f5539", "#b08968"],
        ink: "#3b2718",
        accent: "#ede0d4",
        soft: "#ddb892",
    },
];

/// Alt text: what the drawing for a section shows.
pub fn describe(section: &str) -> &'static str {
    match section {
        "politics" => "Illustration of a domed parliament building with columns",
        "world" => "Illustration of a globe with meridian lines",
        "business" => "Illustration of a city skyline with a line chart",
        "lifestyle" => "Illustration of a cup and a potted plant on a table",
        "opinion" => "Illustration of three speech bubbles",
        "tech" => "Illustration of a microchip on a circuit board",
        "travel" => "Illustration of hills and mountains under the sun",
        _ => "Illustration of printed documents",
    }
}

/// Draws the illustration for a section; `seed` varies colours and shapes.
pub fn draw(section: &str, seed: u64) -> String {
    let mut rng = Rng::with_seed(seed);
    let p = &PALETTES[rng.usize(..PALETTES.len())];
    let mut svg = String::with_capacity(4096);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\">\
<defs><linearGradient id=\"g\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\"><stop offset=\"0\" stop-color=\"{}\"/><stop offset=\"1\" stop-color=\"{}\"/></linearGradient></defs>\
<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"url(#g)\"/>",
        p.sky[0], p.sky[1]
    );
    match section {
        "politics" => capitol(&mut svg, &mut rng, p),
        "world" => globe(&mut svg, &mut rng, p),
        "business" => skyline_chart(&mut svg, &mut rng, p),
        "lifestyle" => bokeh_table(&mut svg, &mut rng, p),
        "opinion" => speech(&mut svg, &mut rng, p),
        "tech" => circuit(&mut svg, &mut rng, p),
        "travel" => landscape(&mut svg, &mut rng, p),
        _ => papers(&mut svg, &mut rng, p),
    }
    svg.push_str("</svg>");
    svg
}

fn sun(svg: &mut String, rng: &mut Rng, p: &Palette) {
    let _ = write!(
        svg,
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" opacity=\"0.9\"/>",
        rng.u32(150..1050),
        rng.u32(90..220),
        rng.u32(45..90),
        p.accent
    );
}

fn capitol(svg: &mut String, rng: &mut Rng, p: &Palette) {
    sun(svg, rng, p);
    let cx = rng.u32(420..780) as i32;
    let base = 560;
    let half = rng.i32(220..300);
    // steps, columns, pediment and dome
    let _ = write!(
        svg,
        "<rect x=\"0\" y=\"{base}\" width=\"{WIDTH}\" height=\"{}\" fill=\"{}\"/>",
        HEIGHT as i32 - base,
        p.ink
    );
    for step in 0..3 {
        let w = half * 2 + 60 - step * 20;
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"14\" fill=\"{}\"/>",
            cx - w / 2,
            base - 14 * (step + 1),
            p.soft
        );
    }
    let top = base - 42 - 190;
    let columns = rng.i32(6..10);
    for i in 0..columns {
        let x = cx - half + 10 + i * (2 * half - 20) / (columns - 1) - 9;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{top}\" width=\"18\" height=\"190\" fill=\"{}\"/>",
            p.accent
        );
    }
    let _ = write!(
        svg,
        "<polygon points=\"{},{top} {},{top} {cx},{}\" fill=\"{}\"/>\
<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"40\" fill=\"{}\"/>\
<path d=\"M{} {} A 110 110 0 0 1 {} {} Z\" fill=\"{}\"/>\
<rect x=\"{}\" y=\"{}\" width=\"6\" height=\"60\" fill=\"{}\"/><rect x=\"{}\" y=\"{}\" width=\"44\" height=\"26\" fill=\"{}\"/>",
        cx - half - 20, cx + half + 20, top - 70, p.soft,
        cx - 120, top - 110, 240, p.soft,
        cx - 110, top - 110, cx + 110, top - 110, p.accent,
        cx - 3, top - 280, p.ink, cx + 3, top - 280, p.soft
    );
}

fn globe(svg: &mut String, rng: &mut Rng, p: &Palette) {
    let cx = rng.u32(450..750);
    let cy = rng.u32(320..360);
    let r = rng.u32(220..270);
    for _ in 0..40 {
        let _ = write!(
            svg,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" opacity=\"0.6\"/>",
            rng.u32(0..WIDTH),
            rng.u32(0..HEIGHT),
            rng.u32(1..4),
            p.accent
        );
    }
    let _ = write!(
        svg,
        "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"{}\"/>",
        p.soft
    );
    // continents as soft blobs clipped to the globe
    let _ = write!(svg, "<clipPath id=\"c\"><circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\"/></clipPath><g clip-path=\"url(#c)\">");
    for _ in 0..rng.usize(5..9) {
        let _ = write!(
            svg,
            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" fill=\"{}\" transform=\"rotate({} {cx} {cy})\"/>",
            cx as i32 + rng.i32(-200..200), cy as i32 + rng.i32(-200..200), rng.u32(40..140), rng.u32(30..90), p.ink, rng.u32(0..180)
        );
    }
    svg.push_str("</g>");
    for i in 1..4 {
        let rx = r * i / 4;
        let _ = write!(svg, "<ellipse cx=\"{cx}\" cy=\"{cy}\" rx=\"{rx}\" ry=\"{r}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\" opacity=\"0.7\"/>", p.accent);
        let ry = r * i / 4;
        let _ = write!(svg, "<ellipse cx=\"{cx}\" cy=\"{cy}\" rx=\"{r}\" ry=\"{ry}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\" opacity=\"0.7\"/>", p.accent);
    }
    let _ = write!(svg, "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"none\" stroke=\"{}\" stroke-width=\"8\"/>", p.accent);
}

fn skyline_chart(svg: &mut String, rng: &mut Rng, p: &Palette) {
    let mut x = 0;
    while x < WIDTH {
        let w = rng.u32(50..120);
        let h = rng.u32(120..380);
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{h}\" fill=\"{}\"/>",
            HEIGHT - h,
            p.ink
        );
        for wy in (HEIGHT - h + 20..HEIGHT - 20).step_by(34) {
            for wx in (x + 12..x + w - 14).step_by(26) {
                if rng.bool() {
                    let _ = write!(svg, "<rect x=\"{wx}\" y=\"{wy}\" width=\"12\" height=\"16\" fill=\"{}\" opacity=\"0.75\"/>", p.accent);
                }
            }
        }
        x += w + rng.u32(4..16);
    }
    let mut y = rng.i32(420..500);
    let mut points = String::new();
    for i in 0..=12 {
        let _ = write!(points, "{},{} ", i * 100, y);
        y = (y - rng.i32(-20..45)).clamp(90, 560);
    }
    let _ = write!(svg, "<polyline points=\"{points}\" fill=\"none\" stroke=\"{}\" stroke-width=\"12\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>", p.soft);
}

fn bokeh_table(svg: &mut String, rng: &mut Rng, p: &Palette) {
    for _ in 0..rng.usize(14..22) {
        let colour = if rng.bool() { p.accent } else { p.soft };
        let _ = write!(
            svg,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\" opacity=\"0.{}\"/>",
            rng.u32(0..WIDTH),
            rng.u32(0..430),
            rng.u32(25..110),
            rng.u32(15..45)
        );
    }
    let _ = write!(
        svg,
        "<rect x=\"0\" y=\"470\" width=\"{WIDTH}\" height=\"205\" fill=\"{}\"/>",
        p.ink
    );
    let cx = rng.i32(350..850);
    let _ = write!(
        svg,
        "<ellipse cx=\"{cx}\" cy=\"480\" rx=\"150\" ry=\"28\" fill=\"{soft}\"/>\
<path d=\"M{} 330 L{} 330 L{} 470 Q{cx} 490 {} 470 Z\" fill=\"{accent}\"/>\
<path d=\"M{} 360 q70 10 40 70\" fill=\"none\" stroke=\"{accent}\" stroke-width=\"14\"/>\
<path d=\"M{} 300 q-20 -30 0 -60 M{} 300 q-20 -30 0 -60\" stroke=\"{soft}\" stroke-width=\"6\" fill=\"none\" opacity=\"0.8\"/>",
        cx - 80, cx + 80, cx + 70, cx - 70, cx + 78, cx - 20, cx + 20,
        soft = p.soft, accent = p.accent
    );
    let lx = cx + rng.i32(180..260);
    let _ = write!(
        svg,
        "<rect x=\"{}\" y=\"390\" width=\"70\" height=\"90\" rx=\"8\" fill=\"{}\"/>",
        lx - 35,
        p.soft
    );
    for i in 0..5 {
        let _ = write!(svg, "<ellipse cx=\"{}\" cy=\"{}\" rx=\"16\" ry=\"48\" fill=\"{}\" transform=\"rotate({} {lx} 390)\"/>", lx, 340, p.accent, -60 + i * 30);
    }
}

fn speech(svg: &mut String, rng: &mut Rng, p: &Palette) {
    for i in 0..3 {
        let x = rng.i32(80..500) + i * 220;
        let y = rng.i32(70..260);
        let w = rng.i32(300..460);
        let h = rng.i32(160..230);
        let fill = [p.soft, p.accent, p.ink][i as usize];
        let _ =
            write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"40\" fill=\"{fill}\"/>\
<polygon points=\"{},{} {},{} {},{}\" fill=\"{fill}\"/>",
            x + 60, y + h - 2, x + 130, y + h - 2, x + 40, y + h + 70
        );
        let line = if i == 2 { p.soft } else { p.ink };
        for l in 0..3 {
            let lw = w - 100 - rng.i32(0..120);
            let _ = write!(svg, "<rect x=\"{}\" y=\"{}\" width=\"{lw}\" height=\"16\" rx=\"8\" fill=\"{line}\" opacity=\"0.55\"/>", x + 50, y + 45 + l * 42);
        }
    }
}

fn circuit(svg: &mut String, rng: &mut Rng, p: &Palette) {
    for _ in 0..rng.usize(26..40) {
        let mut x = rng.i32(0..WIDTH as i32) / 40 * 40;
        let mut y = rng.i32(0..HEIGHT as i32) / 40 * 40;
        let mut d = format!("M{x} {y}");
        for _ in 0..rng.usize(2..5) {
            if rng.bool() {
                x += rng.i32(-6..7) * 40;
            } else {
                y += rng.i32(-4..5) * 40;
            }
            let _ = write!(d, " L{x} {y}");
        }
        let colour = if rng.u8(..4) == 0 { p.accent } else { p.soft };
        let _ = write!(svg, "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"5\" opacity=\"0.8\"/><circle cx=\"{x}\" cy=\"{y}\" r=\"9\" fill=\"{colour}\"/>");
    }
    let cx = rng.i32(440..760);
    let cy = rng.i32(250..420);
    let _ = write!(svg, "<rect x=\"{}\" y=\"{}\" width=\"220\" height=\"220\" rx=\"18\" fill=\"{}\" stroke=\"{}\" stroke-width=\"8\"/>", cx - 110, cy - 110, p.ink, p.accent);
    for i in 0..6 {
        let o = -85 + i * 34;
        let _ = write!(svg, "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"30\" fill=\"{a}\"/><rect x=\"{}\" y=\"{}\" width=\"14\" height=\"30\" fill=\"{a}\"/>", cx + o, cy - 140, cx + o, cy + 110, a = p.accent);
    }
    let _ = write!(
        svg,
        "<rect x=\"{}\" y=\"{}\" width=\"110\" height=\"110\" rx=\"8\" fill=\"{}\"/>",
        cx - 55,
        cy - 55,
        p.soft
    );
}

fn landscape(svg: &mut String, rng: &mut Rng, p: &Palette) {
    sun(svg, rng, p);
    let layers = [(p.soft, 300, 420), (p.accent, 380, 500), (p.ink, 460, 580)];
    for (i, (fill, lo, hi)) in layers.iter().enumerate() {
        let mut d = format!("M0 {HEIGHT}");
        let mut x = 0;
        while x <= WIDTH {
            let _ = write!(
                d,
                " L{x} {}",
                rng.u32(*lo..*hi) - if i == 0 { rng.u32(0..120) } else { 0 }
            );
            x += rng.u32(90..220);
        }
        let _ = write!(d, " L{WIDTH} {} L{WIDTH} {HEIGHT} Z", rng.u32(*lo..*hi));
        let opacity = if i == 1 { "0.85" } else { "1" };
        let _ = write!(
            svg,
            "<path d=\"{d}\" fill=\"{fill}\" opacity=\"{opacity}\"/>"
        );
    }
    for _ in 0..rng.usize(3..6) {
        let x = rng.u32(60..1140);
        let y = rng.u32(60..220);
        let _ = write!(svg, "<path d=\"M{} {y} q12 -10 24 0 q12 -10 24 0\" stroke=\"{}\" stroke-width=\"4\" fill=\"none\"/>", x, p.ink);
    }
}

fn papers(svg: &mut String, rng: &mut Rng, p: &Palette) {
    for i in 0..3 {
        let x = 300 + i * 170 + rng.i32(-30..30);
        let y = 90 + rng.i32(-20..30);
        let rot = rng.i32(-12..12);
        let _ = write!(svg, "<g transform=\"rotate({rot} {} {})\"><rect x=\"{x}\" y=\"{y}\" width=\"330\" height=\"460\" rx=\"10\" fill=\"{}\"/>", x + 165, y + 230, p.accent);
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"200\" height=\"26\" fill=\"{}\"/>",
            x + 40,
            y + 50,
            p.soft
        );
        for l in 0..9 {
            let w = 250 - rng.i32(0..90);
            let _ = write!(svg, "<rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"12\" rx=\"6\" fill=\"{}\" opacity=\"0.5\"/>", x + 40, y + 110 + l * 34, p.ink);
        }
        svg.push_str("</g>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_draws_well_formed_svg() {
        for section in [
            "politics",
            "world",
            "business",
            "lifestyle",
            "opinion",
            "tech",
            "travel",
            "press-release",
        ] {
            let a = draw(section, 1);
            assert!(a.starts_with("<svg") && a.ends_with("</svg>"));
            assert_eq!(
                a.matches("<g").count(),
                a.matches("</g>").count(),
                "{section}"
            );
            assert_eq!(a, draw(section, 1), "deterministic");
            assert_ne!(a, draw(section, 2), "varied");
        }
    }
}
