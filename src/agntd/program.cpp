// SPDX-License-Identifier: MIT
#include "agntd/program.h"

#include <fcntl.h>
#include <malloc.h>
#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <optional>

#include "agntd/agent.h"
#include "agntd/log.h"
#include "agntd/server.h"
#include "common/error.h"
#include "common/fd.h"
#include "common/files.h"
#include "common/models_config.h"
#include "common/secret_env.h"
#include "common/paths.h"

#ifndef AGNTOS_VERSION
#define AGNTOS_VERSION "0.0.0"
#endif

namespace agntd {
namespace {

// The self-pipe: the signal handler writes the signal number, the poll loop reads it.
int g_signal_write = -1;

extern "C" void on_signal(int signal_number) {
  const int saved = errno;
  const char byte = static_cast<char>(signal_number);
  [[maybe_unused]] const auto written = ::write(g_signal_write, &byte, 1);
  errno = saved;
}

struct SignalPipe {
  agntos::Fd read;
  agntos::Fd write;
};

SignalPipe install_signal_handlers() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) agntos::throw_errno("cannot create signal pipe");
  SignalPipe pipe{agntos::Fd(fds[0]), agntos::Fd(fds[1])};
  g_signal_write = pipe.write.get();
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
  // Writes to a client that has gone must fail with EPIPE, not kill the daemon.
  ::signal(SIGPIPE, SIG_IGN);
  return pipe;
}

// Keeps the API keys in this process only (SPEC §4 promise 4): no core dump, no ptrace or
// /proc/<pid>/{environ,mem,...} for processes of the same user, and the key variables moved
// out of the environment before any thread or child exists, so tools never inherit them.
void keep_secrets_in_memory(const agntos::Paths& paths) {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  std::vector<std::string> names{"AGNTOS_API_KEY"};
  try {
    for (const auto& profile : agntos::ModelsConfig::load(paths.models_file()).profiles)
      if (!profile.api_key_env.empty()) names.push_back(profile.api_key_env);
  } catch (const std::exception&) {
    // A broken models.toml is reported by the first session; the default name is still taken.
  }
  for (const auto& name : names) agntos::take_secret_variable(name);
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"agntd - the AgntOS agent daemon: talks to the LLM, runs agntctl tools, asks for approval,\n"
               "stores sessions, and serves clients (agnt) on a Unix socket as NDJSON (docs/protocol.md)."};
  app.set_version_flag("--version", "agntd " AGNTOS_VERSION);
  std::optional<std::string> socket;
  std::optional<std::string> config_dir;
  app.add_option("--socket", socket, "socket path (default $AGNTOS_SOCKET, else $XDG_RUNTIME_DIR/agntd.sock)");
  app.add_option("--config-dir", config_dir, "config dir (default $AGNTOS_CONFIG_DIR or /etc/agntos)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    throw agntos::Error(agntos::Errc::usage, std::string(e.what()) + " (see 'agntd --help')");
  }

  // One malloc arena for every thread: a turn runs on a thread of its own, and an arena per
  // worker kept what finished turns had used resident (docs/BENCHMARKS.md, "agntd memory").
  ::mallopt(M_ARENA_MAX, 1);
  auto paths = agntos::Paths::from_environment(config_dir ? std::optional<agntos::fs::path>(*config_dir) : std::nullopt);
  if (socket) paths.socket = agntos::fs::absolute(*socket);
  keep_secrets_in_memory(paths);
  agntos::make_directories(paths.state_dir, 0700);
  Logger log(paths.state_dir / "agntd.log", true);
  auto signals = install_signal_handlers();
  try {
    Agent agent(paths, log);
    log.info("started", Json{{"version", AGNTOS_VERSION}, {"pid", ::getpid()}, {"config_dir", paths.config_dir.string()}, {"state_dir", paths.state_dir.string()}});
    Server server(agent, paths.socket);
    server.run(signals.read.get());
    log.info("stopped", Json{{"socket", paths.socket.string()}});
    return 0;
  } catch (const agntos::Error& e) {
    log.error("fatal", Json{{"code", e.code_name()}, {"message", e.what()}});
    return e.exit_status();
  }
}

}  // namespace agntd
