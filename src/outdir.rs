//! A results folder written as one unit.
//!
//! `tanda analyze --out DIR` (and `tanda report --out DIR`) never write into
//! DIR itself. A run goes like this:
//!
//! 1. **Lock.** `DIR.tanda-lock`, beside DIR, is locked (an advisory lock the
//!    system drops when the process ends, however it ends) and holds the
//!    process id. A second run into DIR fails at once naming that process
//!    ([`Error::OutBusy`]); a lock file left by a process that died is taken
//!    over with a note.
//! 2. **Recover and sweep.** Holding the lock, every `DIR.tanda-tmp-*` and
//!    `DIR.tanda-old-*` beside DIR belongs to a run that is no longer running
//!    (its process held the lock): they are removed. When DIR is missing and
//!    an old copy is there (a run stopped between the two renames of a swap
//!    where the system cannot exchange folders in one step), the old copy is
//!    put back first.
//! 3. **Check.** DIR must not be inside a folder the run reads (the corpus),
//!    must not hold an input of the run, and may hold only the files tanda
//!    wrote there, unchanged: the manifest (`run.json`, `report.json`)
//!    records each output's SHA-256. Anything else (a hand-corrected
//!    passages.csv, a file of the user's) refuses the run unless `--force`
//!    ([`Error::OutRefused`]).
//! 4. **Stage.** The run writes into a fresh sibling folder,
//!    `DIR.tanda-tmp-<pid>-<n>` (same file system, so the swap is a rename).
//! 5. **Swap.** [`ResultsDir::commit`] exchanges the staged folder with DIR
//!    in one step (Linux `renameat2(RENAME_EXCHANGE)`), or, where the system
//!    cannot, renames DIR aside, the staged folder to DIR, and only then
//!    removes the old one. Before the swap DIR is untouched; after it DIR is
//!    the new run whole: never files of two runs side by side.
//!
//! On SIGINT, SIGTERM or SIGHUP the staged folder and the lock file are
//! removed before the process exits (status 130); a `kill -9` leaves them
//! for step 2 of the next run.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

use crate::hash::sha256_file;
use rayon::prelude::*;

use crate::error::Error;

/// The files that mark a folder as tanda's and record its outputs' hashes:
/// `run.json` (`analyze --out`) and `report.json` (`report --out`).
pub const MANIFESTS: [&str; 2] = ["run.json", "report.json"];
/// The key every manifest starts with (tanda's marker).
const MARKER: &str = "\"tanda_version\"";
/// Beside DIR: `DIR.tanda-lock`, `DIR.tanda-tmp-…`, `DIR.tanda-old-…`.
pub const LOCK_SUFFIX: &str = ".tanda-lock";
const TMP_INFIX: &str = ".tanda-tmp-";
const OLD_INFIX: &str = ".tanda-old-";
/// At most this many problems are named in a refusal.
const LIST_MAX: usize = 12;

/// What a results folder must not collide with.
#[derive(Debug, Default, Clone)]
pub struct OutOptions {
    /// Replace a folder holding files tanda did not write, or changed.
    pub force: bool,
    /// Files and folders the run reads: DIR must not be or hold any of them
    /// (replacing DIR would remove them).
    pub inputs: Vec<PathBuf>,
    /// Folders the run reads recursively (a corpus): DIR must not lie
    /// inside one (the next run would read its own results).
    pub scanned: Vec<PathBuf>,
}

/// A results folder being written: files go to [`ResultsDir::path`] (the
/// staged folder), and [`ResultsDir::commit`] puts them in place whole.
/// Dropped without a commit, the staged folder is removed and DIR is as it
/// was.
#[derive(Debug)]
pub struct ResultsDir {
    /// DIR as the user gave it (for messages).
    shown: String,
    /// DIR, absolute.
    target: PathBuf,
    staging: PathBuf,
    notes: Vec<String>,
    done: bool,
    _lock: Lock,
}

impl ResultsDir {
    /// Lock DIR, sweep what interrupted runs left, check DIR may be
    /// replaced, and make the staged folder.
    pub fn begin(dir: &Path, opts: &OutOptions) -> Result<ResultsDir, Error> {
        let shown = dir.display().to_string();
        let target = absolute_target(dir)?;
        let (parent, name) = split(&target, &shown)?;
        check_placement(&target, &shown, opts)?;
        let mut notes = Vec::new();
        let lock_path = parent.join(format!("{name}{LOCK_SUFFIX}"));
        let (lock, how) = Lock::acquire(&lock_path, &shown)?;
        match how {
            Acquired::Fresh => {}
            Acquired::Stale(pid) => notes.push(format!(
                "took over the lock {} of process {pid}, which is no longer running",
                lock_path.display()
            )),
            Acquired::Unlocked(why) => notes.push(format!(
                "cannot lock {} ({why}): another run into {shown} at the same time would not be stopped",
                lock_path.display()
            )),
        }
        notes.extend(recover_and_sweep(&parent, &name, &target, &shown)?);
        check_existing(&target, &shown, opts.force)?;
        install_signal_handler();
        let staging = make_staging(&parent, &name)?;
        Ok(ResultsDir {
            shown,
            target,
            staging,
            notes,
            done: false,
            _lock: lock,
        })
    }

    /// The staged folder: write every result file here.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// DIR as the user gave it (for messages).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// DIR, absolute.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// What [`ResultsDir::begin`] did that the user should hear of (a stale
    /// lock taken over, leftovers removed, an interrupted swap undone).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The SHA-256 of each named file of the staged folder (for the
    /// manifest's `outputs`), computed in parallel.
    pub fn hashes(&self, files: &[String]) -> Result<BTreeMap<String, String>, Error> {
        files
            .par_iter()
            .map(|f| {
                let p = self.staging.join(f);
                sha256_file(&p)
                    .map(|h| (f.clone(), h))
                    .map_err(|e| write_err(&self.target.join(f), e))
            })
            .collect()
    }

    /// Put the staged folder in place of DIR, whole.
    pub fn commit(mut self) -> Result<(), Error> {
        sync_dir(&self.staging).map_err(|e| write_err(&self.target, e))?;
        let parent = self.target.parent().unwrap_or(Path::new("/")).to_path_buf();
        // Held through the swap: a signal waits for it to finish, so the
        // handler never removes a folder that has just become DIR.
        let mut held = registry();
        let exists = fs::symlink_metadata(&self.target).is_ok();
        let leftover = if !exists {
            fs::rename(&self.staging, &self.target).map_err(|e| self.swap_err(e))?;
            None
        } else if exchange(&self.staging, &self.target).is_ok() {
            // The staged path now holds the previous run.
            Some(self.staging.clone())
        } else {
            let old = unique_sibling(&parent, &self.name(), OLD_INFIX);
            fs::rename(&self.target, &old).map_err(|e| self.swap_err(e))?;
            held.push(old.clone());
            if let Err(e) = fs::rename(&self.staging, &self.target) {
                // Put the previous run back; DIR stays as it was.
                let _ = fs::rename(&old, &self.target);
                held.retain(|p| p != &old);
                return Err(self.swap_err(e));
            }
            Some(old)
        };
        held.retain(|p| p != &self.staging);
        drop(held);
        self.done = true;
        let _ = sync_dir(&parent);
        if let Some(old) = leftover {
            // Failing to remove the previous run is not failing the run:
            // the next one sweeps it.
            let _ = remove_dir_all_retry(&old);
            registry().retain(|p| p != &old);
        }
        Ok(())
    }

    fn name(&self) -> String {
        self.target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    fn swap_err(&self, e: io::Error) -> Error {
        Error::Write {
            path: self.shown.clone(),
            source: io::Error::new(
                e.kind(),
                format!("cannot put the new results in place: {e}"),
            ),
        }
    }
}

impl Drop for ResultsDir {
    fn drop(&mut self) {
        if !self.done {
            let _ = remove_dir_all_retry(&self.staging);
            registry().retain(|p| p != &self.staging);
        }
    }
}

fn write_err(path: &Path, e: io::Error) -> Error {
    Error::Write {
        path: path.display().to_string(),
        source: e,
    }
}

fn refused(shown: &str, message: String) -> Error {
    Error::OutRefused {
        path: shown.to_string(),
        message,
    }
}

/// DIR made absolute through its parent (created if missing); DIR's own
/// last component is kept as given (a symbolic link is not followed).
fn absolute_target(dir: &Path) -> Result<PathBuf, Error> {
    let shown = dir.display().to_string();
    let abs = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| write_err(dir, e))?
            .join(dir)
    };
    // `results/.`, `.`, `..`: the folder is named by what they resolve to.
    let name_ok = matches!(
        abs.components().next_back(),
        Some(std::path::Component::Normal(_))
    );
    if !name_ok {
        let canon = fs::canonicalize(&abs).map_err(|e| write_err(dir, e))?;
        return Ok(canon);
    }
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Err(refused(&shown, "is not a folder name".into()));
    };
    fs::create_dir_all(parent).map_err(|e| write_err(parent, e))?;
    let parent = fs::canonicalize(parent).map_err(|e| write_err(parent, e))?;
    Ok(parent.join(name))
}

fn split(target: &Path, shown: &str) -> Result<(PathBuf, String), Error> {
    match (target.parent(), target.file_name()) {
        (Some(p), Some(n)) => Ok((p.to_path_buf(), n.to_string_lossy().into_owned())),
        _ => Err(refused(
            shown,
            "cannot be a results folder (the root of the file system); give a folder to create"
                .into(),
        )),
    }
}

/// The path with symbolic links resolved as far as it exists.
fn resolved(p: &Path) -> PathBuf {
    if let Ok(c) = fs::canonicalize(p) {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => resolved(parent).join(name),
        _ => p.to_path_buf(),
    }
}

/// DIR must not hold an input or the working folder, nor lie in a corpus.
fn check_placement(target: &Path, shown: &str, opts: &OutOptions) -> Result<(), Error> {
    let t = resolved(target);
    for s in &opts.scanned {
        let s = resolved(s);
        if s.is_dir() && t.starts_with(&s) {
            return Err(refused(
                shown,
                format!(
                    "is inside the corpus folder {}; results there would be read as documents by the next run. Give a folder outside the corpus",
                    s.display()
                ),
            ));
        }
    }
    for i in &opts.inputs {
        let i = resolved(i);
        if i.starts_with(&t) {
            return Err(refused(
                shown,
                format!(
                    "holds {}, an input of this run; a new run replaces the whole folder. Give another --out",
                    i.display()
                ),
            ));
        }
    }
    if let Ok(cwd) = std::env::current_dir()
        && resolved(&cwd).starts_with(&t)
    {
        return Err(refused(
            shown,
            "is the current folder or holds it; a new run replaces the whole folder. Give a folder beside it (e.g. --out results/)".into(),
        ));
    }
    Ok(())
}

/// How a lock was taken.
#[derive(Debug)]
enum Acquired {
    Fresh,
    /// From a process that ended without removing the file (its id).
    Stale(String),
    /// The file system cannot lock files (why): the run goes on unguarded.
    Unlocked(String),
}

/// The lock beside DIR: an advisory lock on `DIR.tanda-lock`, which holds
/// the process id. Removed (while still locked) when dropped.
#[derive(Debug)]
struct Lock {
    path: PathBuf,
    _file: File,
}

impl Lock {
    /// Take the lock, or fail naming the process that holds it.
    fn acquire(path: &Path, shown: &str) -> Result<(Lock, Acquired), Error> {
        // A holder may remove the file between our open and our lock: then
        // we hold a lock on a file no longer at `path`, and try again.
        for _ in 0..100 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .map_err(|e| write_err(path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut pid = String::new();
                    let _ = file.read_to_string(&mut pid);
                    let pid = pid.lines().next().unwrap_or("").trim().to_string();
                    return Err(Error::OutBusy {
                        path: shown.to_string(),
                        pid: if pid.is_empty() { "?".into() } else { pid },
                        lock: path.display().to_string(),
                    });
                }
                Err(fs::TryLockError::Error(e)) => {
                    // A file system without locks (some network mounts):
                    // the run goes on, unguarded, and says so.
                    return Ok((
                        Lock {
                            path: path.to_path_buf(),
                            _file: file,
                        },
                        Acquired::Unlocked(e.to_string()),
                    ));
                }
            }
            if !same_file(&file, path) {
                continue;
            }
            let mut before = String::new();
            let _ = file.read_to_string(&mut before);
            let before = before.lines().next().unwrap_or("").trim().to_string();
            let me = std::process::id().to_string();
            file.set_len(0).map_err(|e| write_err(path, e))?;
            file.seek(io::SeekFrom::Start(0))
                .map_err(|e| write_err(path, e))?;
            (&file)
                .write_all(format!("{me}\n").as_bytes())
                .map_err(|e| write_err(path, e))?;
            let how = if !before.is_empty() && before != me {
                Acquired::Stale(before)
            } else {
                Acquired::Fresh
            };
            return Ok((
                Lock {
                    path: path.to_path_buf(),
                    _file: file,
                },
                how,
            ));
        }
        Err(write_err(
            path,
            io::Error::other("the lock file keeps being replaced; try again"),
        ))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed before the file (and so the lock) is closed: whoever
        // opens it meanwhile finds it locked, or finds it gone and retries.
        let _ = fs::remove_file(&self.path);
    }
}

/// Is the open file the one at `path`?
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// Under the lock: undo an interrupted swap (DIR missing, its old copy
/// beside it), then remove every staged or old folder of DIR. Their runs
/// held the lock, so none is running.
fn recover_and_sweep(
    parent: &Path,
    name: &str,
    target: &Path,
    shown: &str,
) -> Result<Vec<String>, Error> {
    let mut notes = Vec::new();
    let tmp_prefix = format!("{name}{TMP_INFIX}");
    let old_prefix = format!("{name}{OLD_INFIX}");
    let mut tmps = Vec::new();
    let mut olds = Vec::new();
    let entries = fs::read_dir(parent).map_err(|e| write_err(parent, e))?;
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&tmp_prefix) {
            tmps.push(e.path());
        } else if n.starts_with(&old_prefix) {
            olds.push(e.path());
        }
    }
    olds.sort();
    if fs::symlink_metadata(target).is_err()
        && let Some(old) = olds.pop()
    {
        fs::rename(&old, target).map_err(|e| write_err(target, e))?;
        notes.push(format!(
            "{shown}: put back the previous results, which an interrupted run had moved to {}",
            old.display()
        ));
    }
    let mut removed = 0;
    for p in tmps.iter().chain(&olds) {
        if remove_dir_all_retry(p).is_ok() {
            removed += 1;
        }
    }
    if removed > 0 {
        notes.push(format!(
            "{shown}: removed {removed} temporary folder(s) left by an interrupted run"
        ));
    }
    Ok(notes)
}

/// Why a file of DIR stops a new run, if it does.
fn check_existing(target: &Path, shown: &str, force: bool) -> Result<(), Error> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(write_err(target, e)),
    };
    if meta.file_type().is_symlink() {
        return Err(refused(
            shown,
            "is a symbolic link; a results folder is replaced whole, so give the folder itself"
                .into(),
        ));
    }
    if !meta.is_dir() {
        return Err(refused(
            shown,
            "is a file, not a folder; give a folder for the results".into(),
        ));
    }
    if force {
        return Ok(());
    }
    let problems = foreign_files(target).map_err(|e| write_err(target, e))?;
    if problems.is_empty() {
        return Ok(());
    }
    let mut listed: Vec<String> = problems.iter().take(LIST_MAX).cloned().collect();
    if problems.len() > LIST_MAX {
        listed.push(format!("and {} more", problems.len() - LIST_MAX));
    }
    Err(refused(
        shown,
        format!(
            "holds files tanda did not write, or changed since it wrote them: {}. A new run replaces the whole folder: move them away, give another --out, or add --force to overwrite them",
            listed.join("; ")
        ),
    ))
}

/// The manifest of a tanda folder: its name and JSON, when it is one.
fn manifest(dir: &Path) -> Option<(&'static str, serde_json::Value)> {
    for m in MANIFESTS {
        let p = dir.join(m);
        if has_marker(&p)
            && let Ok(bytes) = fs::read(&p)
            && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes)
            && v.get("tanda_version").is_some()
        {
            return Some((m, v));
        }
    }
    None
}

/// Does the file start like a manifest tanda wrote?
fn has_marker(p: &Path) -> bool {
    let Ok(f) = File::open(p) else {
        return false;
    };
    let mut head = Vec::with_capacity(4096);
    if f.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    head.trim_start().starts_with('{') && head.contains(MARKER)
}

/// Is `dir` a folder tanda wrote (a results folder, `report --out`, or one
/// being staged or swapped)? The corpus scanner never reads one.
pub fn is_tanda_folder(dir: &Path) -> bool {
    let staged = dir
        .file_name()
        .map(|n| n.to_string_lossy())
        .is_some_and(|n| n.contains(TMP_INFIX) || n.contains(OLD_INFIX));
    staged || MANIFESTS.iter().any(|m| has_marker(&dir.join(m)))
}

/// The entries of a folder that tanda did not write, or that changed
/// since, each with the reason.
fn foreign_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut names: Vec<(String, bool)> = Vec::new();
    for e in fs::read_dir(dir)? {
        let e = e?;
        let is_file = e.file_type().map(|t| t.is_file()).unwrap_or(false);
        names.push((e.file_name().to_string_lossy().into_owned(), is_file));
    }
    names.sort();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let Some((manifest_name, m)) = manifest(dir) else {
        return Ok(names
            .into_iter()
            .map(|(n, _)| format!("{n} (not written by tanda)"))
            .collect());
    };
    let outputs: Option<BTreeMap<String, String>> = m
        .get("outputs")
        .and_then(|o| serde_json::from_value(o.clone()).ok());
    let listed: Vec<String> = m
        .get("files")
        .and_then(|f| serde_json::from_value(f.clone()).ok())
        .unwrap_or_default();
    let mut problems = Vec::new();
    let mut to_hash = Vec::new();
    for (n, is_file) in names {
        if n == manifest_name || (n.starts_with(".tanda-") && n.ends_with(".tmp")) {
            // The manifest itself; a temporary file of an older tanda.
            continue;
        }
        match &outputs {
            Some(out) => match out.get(&n) {
                Some(h) if is_file => to_hash.push((n, h.clone())),
                _ => problems.push(format!("{n} (not written by tanda)")),
            },
            None if is_file && listed.contains(&n) => problems.push(format!(
                "{n} (written by an older tanda that recorded no checksums: cannot tell whether it was changed)"
            )),
            None => problems.push(format!("{n} (not written by tanda)")),
        }
    }
    let changed: Vec<String> = to_hash
        .par_iter()
        .filter(|(n, h)| !sha256_file(&dir.join(n)).is_ok_and(|got| &got == h))
        .map(|(n, _)| format!("{n} (changed since tanda wrote it)"))
        .collect();
    problems.extend(changed);
    problems.sort();
    Ok(problems)
}

static SEQ: AtomicUsize = AtomicUsize::new(0);

/// `PARENT/NAME<infix><pid>-<n>`, not yet existing.
fn unique_sibling(parent: &Path, name: &str, infix: &str) -> PathBuf {
    loop {
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        let p = parent.join(format!("{name}{infix}{}-{n}", std::process::id()));
        if fs::symlink_metadata(&p).is_err() {
            return p;
        }
    }
}

fn make_staging(parent: &Path, name: &str) -> Result<PathBuf, Error> {
    loop {
        let p = unique_sibling(parent, name, TMP_INFIX);
        // Registered before it exists: a signal in between finds nothing
        // to remove, never a folder it does not know.
        registry().push(p.clone());
        match fs::create_dir(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                registry().retain(|q| q != &p);
            }
            Err(e) => {
                registry().retain(|q| q != &p);
                return Err(write_err(&p, e));
            }
        }
    }
}

/// Swap two folders in one step, where the system can.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both are NUL-terminated paths that outlive the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// `remove_dir_all`, tried again when a file appears meanwhile (a writer
/// thread still running while a signal handler cleans up).
fn remove_dir_all_retry(p: &Path) -> io::Result<()> {
    let mut last = Ok(());
    for _ in 0..5 {
        match fs::remove_dir_all(p) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => last = Err(e),
        }
    }
    last
}

/// Temporary folders to remove if the process is stopped by a signal.
static REGISTRY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

fn registry() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    REGISTRY.lock().unwrap_or_else(|p| p.into_inner())
}

/// The lock file goes with its folder; the registry holds folders only,
/// and the handler removes each one's lock too.
fn lock_of(staged: &Path) -> Option<PathBuf> {
    let name = staged.file_name()?.to_string_lossy().into_owned();
    let base = name
        .split_once(TMP_INFIX)
        .or_else(|| name.split_once(OLD_INFIX))?
        .0;
    Some(staged.with_file_name(format!("{base}{LOCK_SUFFIX}")))
}

/// On SIGINT/SIGTERM/SIGHUP: remove the staged folders and their locks,
/// then exit with status 130. Installed with the first results folder, so
/// other commands keep the default behaviour.
fn install_signal_handler() {
    HANDLER.call_once(|| {
        // Failing to install (another handler present) only loses the
        // clean-up; the next run sweeps.
        let _ = ctrlc::set_handler(|| {
            // Held until exit: no swap starts or finishes meanwhile.
            let reg = registry();
            for p in reg.iter() {
                let _ = remove_dir_all_retry(p);
                if let Some(lock) = lock_of(p) {
                    let _ = fs::remove_file(lock);
                }
            }
            if !reg.is_empty() {
                eprintln!(
                    "\ninterrupted: the results being written were removed; the results folder is as it was"
                );
            }
            std::process::exit(130);
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }

    /// A run whose manifest records the hashes of its outputs, as
    /// `analyze` writes it.
    fn run(dir: &Path, opts: &OutOptions, files: &[(&str, &str)]) -> Result<(), Error> {
        let r = ResultsDir::begin(dir, opts)?;
        for (n, t) in files {
            write(r.path(), n, t);
        }
        let names: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
        let hashes = r.hashes(&names)?;
        let manifest =
            serde_json::json!({"tanda_version": "test", "files": names, "outputs": hashes});
        write(r.path(), "run.json", &manifest.to_string());
        r.commit()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    #[test]
    fn a_rerun_replaces_the_folder_whole() -> Result<(), Box<dyn std::error::Error>> {
        let t = tempfile::tempdir()?;
        let out = t.path().join("res");
        let o = OutOptions::default();
        run(&out, &o, &[("a.csv", "1"), ("b.csv", "2")])?;
        assert_eq!(names(&out), ["a.csv", "b.csv", "run.json"]);
        run(&out, &o, &[("a.csv", "3")])?;
        assert_eq!(names(&out), ["a.csv", "run.json"]);
        assert_eq!(fs::read_to_string(out.join("a.csv"))?, "3");
        // Nothing left beside it: no staged, old or lock file.
        assert_eq!(names(t.path()), ["res"]);
        Ok(())
    }

    #[test]
    fn dropped_without_commit_leaves_the_folder_as_it_was() -> Result<(), Box<dyn std::error::Error>>
    {
        let t = tempfile::tempdir()?;
        let out = t.path().join("res");
        run(&out, &OutOptions::default(), &[("a.csv", "1")])?;
        {
            let r = ResultsDir::begin(&out, &OutOptions::default())?;
            write(r.path(), "a.csv", "new");
        }
        assert_eq!(fs::read_to_string(out.join("a.csv"))?, "1");
        assert_eq!(names(t.path()), ["res"]);
        Ok(())
    }

    #[test]
    fn a_held_lock_refuses_a_second_run() -> Result<(), Box<dyn std::error::Error>> {
        let t = tempfile::tempdir()?;
        let out = t.path().join("res");
        let first = ResultsDir::begin(&out, &OutOptions::default())?;
        let lock = fs::read_to_string(t.path().join("res.tanda-lock"))?;
        assert_eq!(lock, format!("{}\n", std::process::id()));
        // Another open file description: flock conflicts even in one process.
        let second = ResultsDir::begin(&out, &OutOptions::default());
        match second {
            Err(Error::OutBusy { pid, .. }) => assert_eq!(pid, std::process::id().to_string()),
            other => panic!("expected OutBusy, got {other:?}"),
        }
        first.commit()?;
        assert!(ResultsDir::begin(&out, &OutOptions::default()).is_ok());
        Ok(())
    }

    #[test]
    fn foreign_and_changed_files_refuse_unless_forced() -> Result<(), Box<dyn std::error::Error>> {
        let t = tempfile::tempdir()?;
        let out = t.path().join("res");
        let o = OutOptions::default();
        run(&out, &o, &[("a.csv", "1")])?;
        write(&out, "a.csv", "1 edited");
        write(&out, "notes.txt", "mine");
        let msg = match ResultsDir::begin(&out, &o) {
            Err(e @ Error::OutRefused { .. }) => e.to_string(),
            other => panic!("expected OutRefused, got {other:?}"),
        };
        assert!(
            msg.contains("a.csv (changed since tanda wrote it)"),
            "{msg}"
        );
        assert!(msg.contains("notes.txt (not written by tanda)"), "{msg}");
        assert!(msg.contains("--force"), "{msg}");
        let forced = OutOptions {
            force: true,
            ..OutOptions::default()
        };
        run(&out, &forced, &[("a.csv", "2")])?;
        assert_eq!(names(&out), ["a.csv", "run.json"]);
        Ok(())
    }

    #[test]
    fn a_folder_of_the_users_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        let t = tempfile::tempdir()?;
        let out = t.path().join("mine");
        fs::create_dir(&out)?;
        write(&out, "thesis.docx", "x");
        assert!(matches!(
            ResultsDir::begin(&out, &OutOptions::default()),
            Err(Error::OutRefused { .. })
        ));
        // An empty folder is fine.
        let empty = t.path().join("empty");
        fs::create_dir(&empty)?;
        run(&empty, &OutOptions::default(), &[("a.csv", "1")])?;
        Ok(())
    }

    #[test]
    fn leftovers_are_swept_and_an_interrupted_swap_undone() -> Result<(), Box<dyn std::error::Error>>
    {
        let t = tempfile::tempdir()?;
        let out = t.path().join("res");
        run(&out, &OutOptions::default(), &[("a.csv", "old")])?;
        // As if killed between the two renames of a swap: DIR moved aside,
        // the staged folder not yet in place.
        let old = t.path().join("res.tanda-old-999999-0");
        fs::rename(&out, &old)?;
        let tmp = t.path().join("res.tanda-tmp-999999-1");
        fs::create_dir(&tmp)?;
        write(&tmp, "a.csv", "half");
        let r = ResultsDir::begin(&out, &OutOptions::default())?;
        assert_eq!(r.notes().len(), 2, "{:?}", r.notes());
        assert_eq!(fs::read_to_string(out.join("a.csv"))?, "old");
        drop(r);
        assert_eq!(names(t.path()), ["res"]);
        Ok(())
    }

    #[test]
    fn placement_inside_the_corpus_or_holding_an_input_is_refused()
    -> Result<(), Box<dyn std::error::Error>> {
        let t = tempfile::tempdir()?;
        let corpus = t.path().join("corpus");
        fs::create_dir(&corpus)?;
        let inside = OutOptions {
            scanned: vec![corpus.clone()],
            ..OutOptions::default()
        };
        assert!(matches!(
            ResultsDir::begin(&corpus.join("res"), &inside),
            Err(Error::OutRefused { .. })
        ));
        let holding = OutOptions {
            inputs: vec![corpus.join("codebook.toml")],
            ..OutOptions::default()
        };
        assert!(matches!(
            ResultsDir::begin(&corpus, &holding),
            Err(Error::OutRefused { .. })
        ));
        Ok(())
    }

    #[test]
    fn tanda_folders_are_recognised() -> Result<(), Box<dyn std::error::Error>> {
        let t = tempfile::tempdir()?;
        let out = t.path().join("res");
        run(&out, &OutOptions::default(), &[("a.csv", "1")])?;
        assert!(is_tanda_folder(&out));
        let other = t.path().join("other");
        fs::create_dir(&other)?;
        write(&other, "run.json", "{\"name\": \"a marathon\"}");
        assert!(!is_tanda_folder(&other));
        Ok(())
    }
}
