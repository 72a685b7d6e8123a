#!/usr/bin/env python3
"""The PyTorch peer of scep's GPU path: the scEP network (CNN1D of the reference code: Conv1d(4,128,6,pad 2), ReLU,
MaxPool1d(30,30,pad 1), Conv1d(128,32,9,pad 4), ReLU, MaxPool1d(10), flatten, concat 5 half-life features,
Linear(1125,64), ReLU, Dropout(0.00099), Linear(64,outputs)) and the paper's recipe (MSE, Adam lr 5e-4, batch 128),
on the same GPU and the same sizes as benchmarks/gpu/run.sh gives scep. One-hot inputs are built on the device
from random bases, as the reference code would hold them. Prints RESULT lines.
    python3 torch_scep.py [genes=20000] [outputs=20] [epochs=2]
"""
import sys
import time

import torch
import torch.nn as nn

genes = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
outputs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
L, HL, BATCH = 10500, 5, 128
torch.backends.cudnn.allow_tf32 = False          # the same float32 arithmetic scep uses
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.benchmark = True
dev = torch.device("cuda")


class CNN1D(nn.Module):
    def __init__(self, outputs):
        super().__init__()
        self.conv1 = nn.Conv1d(4, 128, 6, padding=2)
        self.pool1 = nn.MaxPool1d(30, 30, padding=1)
        self.conv2 = nn.Conv1d(128, 32, 9, padding=4)
        self.pool2 = nn.MaxPool1d(10)
        self.fc1 = nn.Linear(32 * 35 + HL, 64)
        self.drop = nn.Dropout(0.00099)
        self.fc2 = nn.Linear(64, outputs)

    def forward(self, x, hl):
        x = self.pool1(torch.relu(self.conv1(x)))
        x = self.pool2(torch.relu(self.conv2(x)))
        x = torch.cat([x.flatten(1), hl], dim=1)
        return self.fc2(self.drop(torch.relu(self.fc1(x))))


def timed(fn):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    fn()
    torch.cuda.synchronize()
    return time.perf_counter() - t0


torch.manual_seed(0)
bases = torch.randint(0, 4, (genes, L), device=dev)
x = torch.nn.functional.one_hot(bases, 4).permute(0, 2, 1).float().contiguous()   # 3.4 GB for 20,000 genes
hl = torch.randn(genes, HL, device=dev)
y = torch.randn(genes, outputs, device=dev)
model = CNN1D(outputs).to(dev)


def infer():
    with torch.no_grad():
        for i in range(0, genes, 512):
            model(x[i:i + 512], hl[i:i + 512])


infer()                                            # warm-up (cuDNN autotuning)
inference = min(timed(infer) for _ in range(3))
print("RESULT torch_inference_seconds=%.4f windows=%d" % (inference, genes))

opt = torch.optim.Adam(model.parameters(), lr=5e-4)
loss_fn = nn.MSELoss()


def epoch():
    model.train()
    perm = torch.randperm(genes, device=dev)
    for i in range(0, genes, BATCH):
        idx = perm[i:i + BATCH]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx], hl[idx]), y[idx])
        loss.backward()
        opt.step()


epoch()                                            # warm-up
times = [timed(epoch) for _ in range(epochs)]
print("RESULT torch_epoch_seconds=%.3f genes=%d outputs=%d batch=%d" % (min(times), genes, outputs, BATCH))
