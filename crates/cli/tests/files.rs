//! Only the files meant: a device, a named pipe or a link out of an imported folder is refused, naming it, before a
//! byte is read (never a hang, never memory exhausted), and nothing is stored.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Sandbox, small_code, stderr, write};

/// Runs a command that must finish within a few seconds (a read of a named pipe would block for ever).
fn run_briefly(mut command: Command) -> Output {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the command hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo");
}

fn publications(sandbox: &Sandbox) -> usize {
    sandbox.json(&["publications"])["publications"].as_array().map_or(0, Vec::len)
}

#[test]
fn devices_and_named_pipes_are_refused_before_a_byte_is_read() {
    let sandbox = Sandbox::new();
    let before = publications(&sandbox);
    let zero = sandbox.path("zero.pdf");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("link");
    let pipe = sandbox.path("pipe.toml");
    mkfifo(&pipe);
    for (args, named) in [
        (vec!["doc", "add", zero.to_str().expect("path"), "--title", "Zero"], &zero),
        (vec!["doc", "add", pipe.to_str().expect("path"), "--title", "Pipe"], &pipe),
        (vec!["register", "import", pipe.to_str().expect("path")], &pipe),
    ] {
        let output = run_briefly(sandbox.command(&args));
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        let message = stderr(&output);
        assert!(message.contains(named.to_str().expect("path")), "names the file: {message}");
        assert!(message.contains("not a regular file"), "{message}");
    }
    assert_eq!(publications(&sandbox), before, "nothing stored");
}

#[test]
fn links_inside_an_imported_folder_are_not_followed() {
    let sandbox = Sandbox::new();
    let outside = sandbox.path("outside");
    write(&outside, "secret.md", "# Secret\n\nNot part of the code.\n");
    write(&outside, "v2/1.md", "# Article 1\n\nFrom elsewhere.\n");
    for (link, target, named) in [
        ("v1/9.md", outside.join("secret.md"), "v1/9.md"),
        ("v2", outside.join("v2"), "v2/"),
        ("order.tsv", outside.join("secret.md"), "order.tsv"),
    ] {
        let root = small_code(&sandbox);
        let path = root.join(link);
        let _ = std::fs::remove_dir_all(&path);
        let _ = std::fs::remove_file(&path);
        std::os::unix::fs::symlink(&target, &path).expect("link");
        let output = run_briefly(sandbox.command(&["import", root.to_str().expect("path"), "--code", "small"]));
        assert_eq!(output.status.code(), Some(2), "{link}: {}", stderr(&output));
        let message = stderr(&output);
        assert!(
            message.contains(named) && message.contains("links inside an imported folder are not followed"),
            "{message}"
        );
        assert!(sandbox.json(&["codes"]).to_string().find("small").is_none(), "nothing stored");
        std::fs::remove_dir_all(&root).expect("clean");
    }
    // A named pipe in the folder is refused too, without waiting for a writer.
    let root = small_code(&sandbox);
    mkfifo(&root.join("v1/7.md"));
    mkfifo(&root.join("order.tsv"));
    let output = run_briefly(sandbox.command(&["import", root.to_str().expect("path"), "--code", "small"]));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("v1/7.md") && message.contains("order.tsv"), "{message}");
}
