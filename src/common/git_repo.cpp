// SPDX-License-Identifier: MIT
#include "common/git_repo.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include "common/error.h"
#include "common/files.h"
#include "common/libgit2.h"
#include "common/paths.h"

namespace agntos {
namespace {

// One deleter for every libgit2 object type, so each handle is a plain unique_ptr.
struct GitFree {
  void operator()(git_repository* p) const noexcept { libgit2().git_repository_free(p); }
  void operator()(git_index* p) const noexcept { libgit2().git_index_free(p); }
  void operator()(git_tree* p) const noexcept { libgit2().git_tree_free(p); }
  void operator()(git_treebuilder* p) const noexcept { libgit2().git_treebuilder_free(p); }
  void operator()(git_commit* p) const noexcept { libgit2().git_commit_free(p); }
  void operator()(git_object* p) const noexcept { libgit2().git_object_free(p); }
  void operator()(git_blob* p) const noexcept { libgit2().git_blob_free(p); }
  void operator()(git_signature* p) const noexcept { libgit2().git_signature_free(p); }
  void operator()(git_revwalk* p) const noexcept { libgit2().git_revwalk_free(p); }
  void operator()(git_patch* p) const noexcept { libgit2().git_patch_free(p); }
};

template <typename T>
using Owned = std::unique_ptr<T, GitFree>;

// git_buf is a value type that owns a heap buffer.
class Buffer {
public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { libgit2().git_buf_dispose(&m_buf); }
  git_buf* get() { return &m_buf; }
  std::string str() const { return m_buf.ptr ? std::string(m_buf.ptr, m_buf.size) : std::string(); }

private:
  git_buf m_buf = GIT_BUF_INIT;
};

[[noreturn]] void throw_git(int rc, const std::string& what) {
  const git_error* error = libgit2().git_error_last();
  const std::string detail =
      error && error->message ? std::string(error->message) : "libgit2 error " + std::to_string(rc);
  throw Error(Errc::failed, what + ": " + detail);
}

void check(int rc, const std::string& what) {
  if (rc < 0) throw_git(rc, what);
}

std::string hex(const git_oid& oid) {
  std::array<char, GIT_OID_HEXSZ + 1> text{};
  libgit2().git_oid_tostr(text.data(), text.size(), &oid);
  return std::string(text.data());
}

constexpr const char* kAuthorName = "AgntOS";
constexpr const char* kAuthorEmail = "agntos@localhost";

bool is_module_kind(std::string_view name) {
  return std::any_of(std::begin(kModuleKinds), std::end(kModuleKinds),
                     [&](const char* kind) { return name == kind; });
}

// Dotfiles and dot-directories (AtomicFile temporaries, editor swap files) are never history.
bool is_hidden(std::string_view name) { return !name.empty() && name.front() == '.'; }

// What the history records of one file: its blob id and whether it is executable.
struct FileState {
  std::string blob;
  bool executable = false;
  bool operator==(const FileState&) const = default;
};

// Regular files under the module folders, as sorted relative paths ("packages/htop.nix").
// Symlinks and hidden entries are skipped; a module folder that is itself a symlink is ignored.
std::vector<std::string> working_module_files(const fs::path& root) {
  std::vector<std::string> files;
  try {
    for (const char* kind : kModuleKinds) {
      const fs::path top = root / kind;
      if (!fs::is_directory(fs::symlink_status(top))) continue;
      for (auto it = fs::recursive_directory_iterator(top); it != fs::recursive_directory_iterator(); ++it) {
        const std::string name = it->path().filename().string();
        if (is_hidden(name)) {
          it.disable_recursion_pending();  // a no-op for files; skips a hidden directory's contents
          continue;
        }
        if (it->symlink_status().type() != fs::file_type::regular) continue;
        files.push_back(it->path().lexically_relative(root).generic_string());
      }
    }
  } catch (const fs::filesystem_error& e) {
    throw Error(Errc::io, std::string("cannot list the module folders: ") + e.what());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string git_blob_hash(std::string_view content) {
  git_oid oid;
  // An empty string_view may carry a null pointer; libgit2 wants a valid one.
  const char* data = content.empty() ? "" : content.data();
  check(libgit2().git_odb_hash(&oid, data, content.size(), GIT_OBJECT_BLOB), "cannot hash content");
  return hex(oid);
}

std::string unified_diff(const std::string& path, const std::optional<std::string>& before,
                         const std::optional<std::string>& after) {
  if (before == after) return {};
  git_diff_options options;
  check(libgit2().git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION), "cannot initialise diff options");
  options.context_lines = 3;
  options.interhunk_lines = 0;
  // A null buffer is an absent file: libgit2 then prints "new file mode" / "deleted file mode"
  // and /dev/null, as git does.
  git_patch* raw = nullptr;
  check(libgit2().git_patch_from_buffers(&raw, before ? before->data() : nullptr, before ? before->size() : 0,
                               path.c_str(), after ? after->data() : nullptr, after ? after->size() : 0,
                               path.c_str(), &options),
        "cannot diff " + path);
  const Owned<git_patch> patch(raw);
  Buffer text;
  check(libgit2().git_patch_to_buf(text.get(), patch.get()), "cannot format the diff of " + path);
  if (libgit2().git_patch_num_hunks(patch.get()) > 0) return text.str();
  // An empty file added or deleted has no hunks; git then prints no "---"/"+++" lines either.
  std::string result;
  const std::string full = text.str();
  std::string_view rest = full;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end == std::string_view::npos ? rest.size() : end + 1);
    if (!line.starts_with("--- ") && !line.starts_with("+++ ")) result += line;
    rest.remove_prefix(line.size());
  }
  return result;
}

struct GitRepo::Impl {
  Owned<git_repository> repo;
  fs::path workdir;

  std::optional<git_oid> head_oid() const {
    git_oid oid;
    const int rc = libgit2().git_reference_name_to_id(&oid, repo.get(), "HEAD");
    if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) return std::nullopt;
    check(rc, "cannot resolve HEAD");
    return oid;
  }

  Owned<git_commit> commit_by_id(const git_oid& oid) const {
    git_commit* raw = nullptr;
    check(libgit2().git_commit_lookup(&raw, repo.get(), &oid), "cannot find commit " + hex(oid));
    return Owned<git_commit>(raw);
  }

  // Accepts a full or abbreviated id (or any revision git understands, such as "HEAD").
  Owned<git_commit> commit_by_spec(const std::string& spec) const {
    git_object* raw = nullptr;
    check(libgit2().git_revparse_single(&raw, repo.get(), spec.c_str()), "cannot find commit " + spec);
    const Owned<git_object> object(raw);
    git_object* peeled_raw = nullptr;
    check(libgit2().git_object_peel(&peeled_raw, object.get(), GIT_OBJECT_COMMIT), spec + " is not a commit");
    const Owned<git_object> peeled(peeled_raw);
    return commit_by_id(*libgit2().git_object_id(peeled.get()));
  }

  Owned<git_tree> tree_by_id(const git_oid& oid) const {
    git_tree* raw = nullptr;
    check(libgit2().git_tree_lookup(&raw, repo.get(), &oid), "cannot find tree " + hex(oid));
    return Owned<git_tree>(raw);
  }

  Owned<git_tree> tree_of(const git_commit* commit) const {
    git_tree* raw = nullptr;
    check(libgit2().git_commit_tree(&raw, commit), "cannot read the tree of commit " + hex(*libgit2().git_commit_id(commit)));
    return Owned<git_tree>(raw);
  }

  using Visit = std::function<void(const std::string& path, const git_tree_entry* entry)>;

  // Calls `visit` for every regular file of the module folders in `tree`.
  void walk_module_files(const git_tree* tree, const std::string& prefix, const Visit& visit) const {
    const size_t count = libgit2().git_tree_entrycount(tree);
    for (size_t i = 0; i < count; ++i) {
      const git_tree_entry* entry = libgit2().git_tree_entry_byindex(tree, i);
      const std::string name = libgit2().git_tree_entry_name(entry);
      if (is_hidden(name)) continue;
      if (prefix.empty() && !is_module_kind(name)) continue;
      const std::string path = prefix + name;
      const git_filemode_t mode = libgit2().git_tree_entry_filemode(entry);
      if (mode == GIT_FILEMODE_TREE) {
        const auto subtree = tree_by_id(*libgit2().git_tree_entry_id(entry));
        walk_module_files(subtree.get(), path + "/", visit);
      } else if (!prefix.empty() && (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE)) {
        visit(path, entry);
      }
    }
  }

  std::map<std::string, FileState> committed_states() const {
    std::map<std::string, FileState> states;
    const auto head = head_oid();
    if (!head) return states;
    const auto commit = commit_by_id(*head);
    const auto tree = tree_of(commit.get());
    walk_module_files(tree.get(), "", [&](const std::string& path, const git_tree_entry* entry) {
      states[path] = {hex(*libgit2().git_tree_entry_id(entry)),
                      libgit2().git_tree_entry_filemode(entry) == GIT_FILEMODE_BLOB_EXECUTABLE};
    });
    return states;
  }

  std::map<std::string, FileState> working_states() const {
    std::map<std::string, FileState> states;
    for (const auto& path : working_module_files(workdir)) {
      const fs::path full = workdir / path;
      struct stat st {};
      if (::stat(full.c_str(), &st) != 0) throw_errno("cannot stat", full.string());
      states[path] = {git_blob_hash(read_file(full)), (st.st_mode & S_IXUSR) != 0};
    }
    return states;
  }

  Owned<git_signature> signature() const {
    git_signature* raw = nullptr;
    check(libgit2().git_signature_now(&raw, kAuthorName, kAuthorEmail), "cannot create the commit signature");
    return Owned<git_signature>(raw);
  }

  // Commits `tree_id` on HEAD (first parent: the current HEAD, if any) and moves HEAD's branch.
  std::string commit_tree(const git_oid& tree_id, const std::string& message) const {
    const auto tree = tree_by_id(tree_id);
    Owned<git_commit> parent;
    if (const auto head = head_oid()) parent = commit_by_id(*head);
    const git_commit* parents[] = {parent.get()};
    const auto author = signature();
    // git's own commits end their message with a newline; keep `git log` output tidy.
    const std::string text = message.empty() || message.back() != '\n' ? message + "\n" : message;
    git_oid id;
    check(libgit2().git_commit_create(&id, repo.get(), "HEAD", author.get(), author.get(), nullptr, text.c_str(),
                            tree.get(), parent ? 1 : 0, parents),
          "cannot commit to " + workdir.string());
    return hex(id);
  }

  std::string commit_empty_tree(const std::string& message) const {
    git_treebuilder* raw = nullptr;
    check(libgit2().git_treebuilder_new(&raw, repo.get(), nullptr), "cannot create an empty tree");
    const Owned<git_treebuilder> builder(raw);
    git_oid tree_id;
    check(libgit2().git_treebuilder_write(&tree_id, builder.get()), "cannot write an empty tree");
    return commit_tree(tree_id, message);
  }
};

GitRepo GitRepo::open_or_init(const fs::path& dir) {
  git_repository* raw = nullptr;
  // NO_SEARCH: never pick up a repository in a parent directory of the config dir.
  const int rc = libgit2().git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  Owned<git_repository> repo(raw);
  if (rc == GIT_ENOTFOUND) {
    raw = nullptr;
    check(libgit2().git_repository_init(&raw, dir.c_str(), 0), "cannot create a git repository in " + dir.string());
    repo.reset(raw);
  } else {
    check(rc, "cannot open the git repository in " + dir.string());
  }
  const char* workdir = libgit2().git_repository_workdir(repo.get());
  if (!workdir) throw Error(Errc::failed, "the git repository in " + dir.string() + " is bare");
  auto impl = std::make_unique<Impl>(Impl{std::move(repo), fs::path(workdir)});
  if (!impl->head_oid()) impl->commit_empty_tree("AgntOS: initial commit");
  return GitRepo(impl.release());
}

GitRepo::GitRepo(GitRepo&& other) noexcept : m_impl(std::exchange(other.m_impl, nullptr)) {}

GitRepo::~GitRepo() { delete m_impl; }

std::string GitRepo::commit_module_tree(const std::string& message) {
  git_index* raw = nullptr;
  check(libgit2().git_repository_index(&raw, m_impl->repo.get()), "cannot open the git index");
  const Owned<git_index> index(raw);
  check(libgit2().git_index_clear(index.get()), "cannot clear the git index");
  // Blobs are made from the raw bytes (no attribute or newline filters), so every blob id equals
  // git_blob_hash of the file and files_at returns the exact bytes that were on disk.
  for (const auto& path : working_module_files(m_impl->workdir)) {
    const fs::path full = m_impl->workdir / path;
    // Stat before reading: if the file changes in between, the recorded stat data is older
    // than the file, and git re-reads it instead of trusting the index.
    struct stat st {};
    if (::stat(full.c_str(), &st) != 0) throw_errno("cannot stat", full.string());
    const std::string content = read_file(full);
    git_index_entry entry{};
    entry.ctime.seconds = static_cast<int32_t>(st.st_ctim.tv_sec);
    entry.ctime.nanoseconds = static_cast<uint32_t>(st.st_ctim.tv_nsec);
    entry.mtime.seconds = static_cast<int32_t>(st.st_mtim.tv_sec);
    entry.mtime.nanoseconds = static_cast<uint32_t>(st.st_mtim.tv_nsec);
    entry.dev = static_cast<uint32_t>(st.st_dev);
    entry.ino = static_cast<uint32_t>(st.st_ino);
    entry.uid = st.st_uid;
    entry.gid = st.st_gid;
    entry.mode = (st.st_mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
    entry.path = path.c_str();
    check(libgit2().git_index_add_from_buffer(index.get(), &entry, content.data(), content.size()),
          "cannot stage " + path);
  }
  git_oid tree_id;
  check(libgit2().git_index_write_tree(&tree_id, index.get()), "cannot write the module tree");
  const std::string id = m_impl->commit_tree(tree_id, message);
  check(libgit2().git_index_write(index.get()), "cannot write the git index");
  return id;
}

std::optional<std::string> GitRepo::head() const {
  const auto oid = m_impl->head_oid();
  if (!oid) return std::nullopt;
  return hex(*oid);
}

std::map<std::string, std::string> GitRepo::files_at(const std::string& commit) const {
  const auto found = m_impl->commit_by_spec(commit);
  const auto tree = m_impl->tree_of(found.get());
  std::map<std::string, std::string> files;
  m_impl->walk_module_files(tree.get(), "", [&](const std::string& path, const git_tree_entry* entry) {
    git_blob* raw = nullptr;
    check(libgit2().git_blob_lookup(&raw, m_impl->repo.get(), libgit2().git_tree_entry_id(entry)), "cannot read " + path);
    const Owned<git_blob> blob(raw);
    files[path] = std::string(static_cast<const char*>(libgit2().git_blob_rawcontent(blob.get())),
                              static_cast<size_t>(libgit2().git_blob_rawsize(blob.get())));
  });
  return files;
}

std::optional<std::string> GitRepo::parent_of(const std::string& commit) const {
  const auto found = m_impl->commit_by_spec(commit);
  if (libgit2().git_commit_parentcount(found.get()) == 0) return std::nullopt;
  const git_oid* parent = libgit2().git_commit_parent_id(found.get(), 0);
  if (!parent) throw_git(-1, "cannot read the parent of " + commit);
  return hex(*parent);
}

std::vector<CommitInfo> GitRepo::log(size_t limit) const {
  std::vector<CommitInfo> commits;
  const auto head = m_impl->head_oid();
  if (limit == 0 || !head) return commits;
  // Every commit AgntOS makes has one parent, and then the topological order is the chain of
  // first parents: each commit before it in that chain is a descendant of all the rest. So walk
  // the chain and stop after `limit` commits (a topological revwalk reads the whole history
  // first: 10,000 commits made every apply pay for all of them). A merge on the way, made by
  // hand, falls back to the revwalk.
  auto commit_info = [](const git_oid& oid, const git_commit* commit) {
    const char* text = libgit2().git_commit_message(commit);
    std::string message = text ? text : "";
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return CommitInfo{hex(oid), std::move(message), static_cast<long long>(libgit2().git_commit_time(commit))};
  };
  bool linear = true;
  for (std::optional<git_oid> oid = head; oid && commits.size() < limit;) {
    const auto commit = m_impl->commit_by_id(*oid);
    const unsigned parents = libgit2().git_commit_parentcount(commit.get());
    if (parents > 1) {
      linear = false;
      break;
    }
    commits.push_back(commit_info(*oid, commit.get()));
    oid = parents == 1 ? std::optional<git_oid>(*libgit2().git_commit_parent_id(commit.get(), 0)) : std::nullopt;
  }
  if (linear) return commits;
  commits.clear();
  git_revwalk* raw = nullptr;
  check(libgit2().git_revwalk_new(&raw, m_impl->repo.get()), "cannot walk the history");
  const Owned<git_revwalk> walk(raw);
  // Topological: a child always comes before its parents, even within one second.
  check(libgit2().git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL), "cannot walk the history");
  check(libgit2().git_revwalk_push_head(walk.get()), "cannot walk the history from HEAD");
  git_oid oid;
  while (commits.size() < limit) {
    const int rc = libgit2().git_revwalk_next(&oid, walk.get());
    if (rc == GIT_ITEROVER) break;
    check(rc, "cannot walk the history");
    const auto commit = m_impl->commit_by_id(oid);
    commits.push_back(commit_info(oid, commit.get()));
  }
  return commits;
}

bool GitRepo::module_tree_dirty() const { return m_impl->working_states() != m_impl->committed_states(); }

void remove_stale_git_locks(const fs::path& dir) {
  std::error_code ec;
  for (const char* name : {"index.lock", "HEAD.lock"}) fs::remove(dir / ".git" / name, ec);
  for (auto it = fs::recursive_directory_iterator(dir / ".git" / "refs", ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->path().extension() == ".lock") fs::remove(it->path(), ec);
}

}  // namespace agntos
