//! The README's "What is where" is a map of the tree; this test keeps it one. Every path in
//! the map exists, every directory of `src/` is in it, and every source file is in it or lies
//! in a directory that is listed without any of its files (then its line speaks for them all).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The paths the map names, relative to the repository, directories without their slash.
fn mapped() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let section = readme
        .split("## What is where")
        .nth(1)
        .expect("a \"What is where\" section");
    let block = section
        .split("```")
        .nth(1)
        .expect("a code block with the map");
    let mut stack: Vec<String> = Vec::new();
    let mut paths = BTreeSet::new();
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let depth = (line.len() - line.trim_start().len()) / 2;
        let name = line.split_whitespace().next().unwrap_or_default();
        assert!(depth <= stack.len(), "{line:?} is indented too deep");
        stack.truncate(depth);
        let path = stack
            .iter()
            .map(String::as_str)
            .chain([name.trim_end_matches('/')])
            .collect::<Vec<_>>()
            .join("/");
        if name.ends_with('/') {
            stack.push(name.trim_end_matches('/').to_string());
        }
        paths.insert(path);
    }
    paths
}

fn walk(dir: &Path, dirs: &mut Vec<PathBuf>, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            dirs.push(path.clone());
            walk(&path, dirs, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn the_readme_maps_the_tree() {
    let map = mapped();
    for path in &map {
        assert!(
            root().join(path).exists(),
            "the README maps {path}, which does not exist"
        );
    }
    let (mut dirs, mut files) = (Vec::new(), Vec::new());
    walk(&root().join("src"), &mut dirs, &mut files);
    for dir in &dirs {
        let dir = relative(dir);
        assert!(
            map.contains(&dir),
            "{dir}/ is missing from the README's map"
        );
    }
    for file in &files {
        let path = relative(file);
        let parent = relative(file.parent().unwrap());
        let parent_lists_files = map.iter().any(|m| {
            m.strip_prefix(&format!("{parent}/"))
                .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".rs"))
        });
        assert!(
            map.contains(&path) || !parent_lists_files,
            "{path} is missing from the README's map (its directory lists its files one by one)"
        );
    }
    assert!(
        map.len() > 40,
        "the map is too small to be the map: {map:?}"
    );
}
