// SPDX-License-Identifier: MIT
#pragma once
// libgit2, loaded on first use (SharedLibrary) instead of linked: only the commands that read
// or write the config dir's history pay for mapping it and its dependency tree (TLS, SSH,
// Kerberos, PCRE). The functions git_repo.cpp calls are members of one table with the same
// names and types as libgit2's own declarations in <git2.h>.
//
// libgit2() loads the library, resolves every function, runs git_libgit2_init once and
// disables the ownership check (see git_repo.cpp); it throws Error(Errc::failed) when the
// library or a function is missing. The library stays initialised until the process exits.

#include <git2.h>

namespace agntos {

#define AGNTOS_LIBGIT2_FUNCTIONS(X) \
  X(git_blob_free) \
  X(git_blob_lookup) \
  X(git_blob_rawcontent) \
  X(git_blob_rawsize) \
  X(git_buf_dispose) \
  X(git_commit_create) \
  X(git_commit_free) \
  X(git_commit_id) \
  X(git_commit_lookup) \
  X(git_commit_message) \
  X(git_commit_parent_id) \
  X(git_commit_parentcount) \
  X(git_commit_time) \
  X(git_commit_tree) \
  X(git_diff_options_init) \
  X(git_error_last) \
  X(git_index_add_from_buffer) \
  X(git_index_clear) \
  X(git_index_free) \
  X(git_index_write) \
  X(git_index_write_tree) \
  X(git_libgit2_init) \
  X(git_libgit2_opts) \
  X(git_libgit2_shutdown) \
  X(git_object_free) \
  X(git_object_id) \
  X(git_object_peel) \
  X(git_odb_hash) \
  X(git_oid_tostr) \
  X(git_patch_free) \
  X(git_patch_from_buffers) \
  X(git_patch_num_hunks) \
  X(git_patch_to_buf) \
  X(git_reference_name_to_id) \
  X(git_repository_free) \
  X(git_repository_index) \
  X(git_repository_init) \
  X(git_repository_open_ext) \
  X(git_repository_workdir) \
  X(git_revparse_single) \
  X(git_revwalk_free) \
  X(git_revwalk_new) \
  X(git_revwalk_next) \
  X(git_revwalk_push_head) \
  X(git_revwalk_sorting) \
  X(git_signature_free) \
  X(git_signature_now) \
  X(git_tree_entry_byindex) \
  X(git_tree_entry_filemode) \
  X(git_tree_entry_id) \
  X(git_tree_entry_name) \
  X(git_tree_entrycount) \
  X(git_tree_free) \
  X(git_tree_lookup) \
  X(git_treebuilder_free) \
  X(git_treebuilder_new) \
  X(git_treebuilder_write)

struct LibGit2 {
#define AGNTOS_LIBGIT2_MEMBER(name) decltype(&::name) name = nullptr;
  AGNTOS_LIBGIT2_FUNCTIONS(AGNTOS_LIBGIT2_MEMBER)
#undef AGNTOS_LIBGIT2_MEMBER
};

const LibGit2& libgit2();

}  // namespace agntos
