"""The same models as bench/step.ts and bench/peer.ts, in PyTorch, on the same machine.

  python3 bench/peer_torch.py [--threads N] [--device cpu|cuda] [--steps N] [--pixels N]

Prints one JSON document: for the MNIST single-tier SIM at batch 128 and the RFF-only image
regression SIM at full batch, the first training step's milliseconds and the median of the
steady-state steps, plus the torch version and the BLAS it was built with.
"""
import argparse
import json
import os
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class MnistSim(nn.Module):
    """4 x (conv 3x3 24 same + bias, batch norm, relu), max-pool after the 2nd and 4th, dense
    1176->50, B 50->25 and C 25->50 without bias, dense 50->32 relu, 32->32 relu, 32->32, 32->10."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(c, 24, 3, padding=1) for c in (1, 24, 24, 24)])
        self.norms = nn.ModuleList([nn.BatchNorm2d(24, eps=1e-5) for _ in range(4)])
        self.lift = nn.Linear(7 * 7 * 24, 50)
        self.project_b = nn.Linear(50, 25, bias=False)
        self.project_c = nn.Linear(25, 50, bias=False)
        self.phi = nn.ModuleList([nn.Linear(50, 32), nn.Linear(32, 32), nn.Linear(32, 32)])
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        for i, (conv, norm) in enumerate(zip(self.convs, self.norms)):
            x = F.relu(norm(conv(x)))
            if i in (1, 3):
                x = F.max_pool2d(x, 2)
        v = self.project_c(self.project_b(self.lift(x.flatten(1))))
        v = F.relu(self.phi[0](v))
        v = F.relu(self.phi[1](v))
        return self.head(self.phi[2](v))


class RffOnly(nn.Module):
    """Frozen Gaussian features (128 frequencies, cos and sin: 256), B 256->128 and C 128->256
    without bias, a three-layer FCN of width 256, a linear head to RGB."""

    def __init__(self):
        super().__init__()
        self.register_buffer("omega", torch.randn(2, 128) / 0.016)
        self.project_b = nn.Linear(256, 128, bias=False)
        self.project_c = nn.Linear(128, 256, bias=False)
        self.fcn = nn.ModuleList([nn.Linear(256, 256) for _ in range(3)])
        self.head = nn.Linear(256, 3)

    def forward(self, x):
        z = x @ self.omega
        v = torch.cat([torch.cos(z), torch.sin(z)], dim=1) / math.sqrt(128)
        v = self.project_c(self.project_b(v))
        v = F.relu(self.fcn[0](v))
        v = F.relu(self.fcn[1](v))
        return self.head(self.fcn[2](v))


def time_steps(model, x, y, loss_fn, steps, device):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()
        if device == "cuda":
            torch.cuda.synchronize()

    times = []
    for _ in range(steps + 1):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return {"first_ms": times[0], "median_ms": statistics.median(times[2:] or times[1:]), "steps": steps}


def loaded_blas():
    """The BLAS library this process actually mapped (Debian's torch links libblas.so.3, which
    the alternatives system points at the reference BLAS or OpenBLAS)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none mapped"
    except OSError:
        return "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--image-steps", type=int, default=5)
    parser.add_argument("--pixels", type=int, default=65536)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = args.device
    blas = loaded_blas()
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "device": device, "blas": blas}

    x = torch.randn(128, 1, 28, 28, device=device)
    y = torch.randint(0, 10, (128,), device=device)
    result["mnist_sim_batch128"] = time_steps(MnistSim().to(device), x, y, F.cross_entropy, args.steps, device)

    coords = torch.rand(args.pixels, 2, device=device)
    colours = torch.rand(args.pixels, 3, device=device)
    result["rff_only_full_batch"] = time_steps(RffOnly().to(device), coords, colours, F.mse_loss, args.image_steps, device)
    result["rff_only_full_batch"]["pixels"] = args.pixels
    print(json.dumps(result))


if __name__ == "__main__":
    main()
