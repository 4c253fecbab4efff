// SPDX-License-Identifier: MIT
#pragma once
// The compact system snapshot the daemon puts into every prompt and `agntctl inspect system`
// prints: host, OS, kernel, CPU, memory, disks, network and uptime, read without a subprocess
// in well under a millisecond.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/system/cpu.h"
#include "common/system/disks.h"
#include "common/system/memory.h"
#include "common/system/network.h"
#include "common/system/os.h"

namespace agntos {

namespace fs = std::filesystem;

struct SystemSnapshot {
  std::string hostname;
  OsRelease os;
  KernelInfo kernel;
  CpuInfo cpu;  // CpuDetail::summary
  MemoryInfo memory;
  std::vector<DiskUsage> disks;  // DiskSelection::distinct_local
  std::vector<NetworkInterface> network;  // routable addresses only; loopback skipped; no MACs
  long long uptime_seconds = 0;
};

// Reads only what the snapshot needs: os-release, the first entry of cpuinfo, meminfo, mounts.
SystemSnapshot read_system_snapshot(const fs::path& root = "/");
// {"hostname","os","kernel","arch","cpu":{model,cores,threads},"memory":{total_bytes,
// available_bytes},"disks":[{mountpoint,size_bytes,free_bytes}],"network":[{name,addresses}],
// "uptime_seconds"}
Json snapshot_json(const SystemSnapshot& snapshot);
// Four short lines, at most kSnapshotTextMax bytes (extra disks and interfaces become "+N more"):
//   host demo · NixOS 24.05 · Linux 6.1.0 x86_64
//   cpu Intel Xeon x 2 · mem 3.1/23.4 GiB free · up 3d 4h
//   disk / 53G free of 252G
//   net eth0 10.0.0.2
std::string snapshot_text(const SystemSnapshot& snapshot);
inline constexpr size_t kSnapshotTextMax = 300;

}  // namespace agntos
