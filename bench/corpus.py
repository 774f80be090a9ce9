#!/usr/bin/env python3
"""Deterministic mixed corpus for bench.sh (the same bytes on every machine and every run).

    corpus.py generate DIR [--scale 1.0]   writes ~1 GiB (x scale) into DIR (must not exist)
    corpus.py mutate DIR                   changes ~1% of it, the same way every time

Mix (of ~1.03 GiB at scale 1): half text-like compressible data (logs, SQL, small config and
source-like files), a third random (incompressible) data, a fifth duplicated files (copies of
files elsewhere in the corpus); 6,000 small text files and 1,000 small random files, and a few
large files of 50-200 MiB. Everything comes from seeded PRNGs, so it is reproducible.
"""
import os
import random
import shutil
import sys

MiB = 1 << 20
WORDS_SEED = 1
WORDS = None


def words():
    global WORDS
    if WORDS is None:
        r = random.Random(WORDS_SEED)
        letters = "etaoinshrdlcumwfgypbvkjxqz"
        weights = [12, 9, 8, 8, 7, 7, 6, 6, 6, 4, 4, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]
        vocab = ["".join(r.choices(letters, weights, k=r.randint(2, 10))) for _ in range(4000)]
        # sentences: the building blocks of text-like data (compresses ~3-5x, like logs and dumps)
        WORDS = [" ".join(r.choices(vocab, k=r.randint(4, 16))) for _ in range(60000)]
    return WORDS


def text_bytes(r, size, style):
    """size bytes of text-like data in a style: log lines, SQL inserts or prose/config."""
    pool = words()
    out = []
    n = 0
    line_no = r.randint(0, 10**6)
    while n < size:
        batch = r.choices(pool, k=512)
        if style == "log":
            lines = [f"2026-11-{1 + (line_no + i) // 86400 % 28:02d}T{(line_no + i) // 3600 % 24:02d}:"
                     f"{(line_no + i) // 60 % 60:02d}:{(line_no + i) % 60:02d}.{r.randint(0, 999):03d}Z "
                     f"{r.choice(('INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'))} "
                     f"[worker-{r.randint(1, 16)}] req={r.getrandbits(32):08x} {s}\n"
                     for i, s in enumerate(batch)]
        elif style == "sql":
            lines = [f"INSERT INTO `events` VALUES ({line_no + i},'{s}',{r.randint(0, 10**6)},"
                     f"'2026-11-{1 + i % 28:02d} {i % 24:02d}:00:00',{r.random():.6f});\n"
                     for i, s in enumerate(batch)]
        else:
            lines = [f"{s}.\n" if i % 7 else f"\n[{s.split(' ')[0]}]\nkey_{i} = {r.randint(0, 9999)}\n"
                     for i, s in enumerate(batch)]
        line_no += len(batch)
        chunk = "".join(lines).encode()
        out.append(chunk)
        n += len(chunk)
    return b"".join(out)[:size]


def write_text(path, r, size, style):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            part = min(left, 8 * MiB)
            f.write(text_bytes(r, part, style))
            left -= part


def write_random(path, r, size):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        left = size
        while left > 0:
            part = min(left, 8 * MiB)
            f.write(r.randbytes(part))
            left -= part


def generate(root, scale):
    if os.path.exists(root):
        sys.exit(f"{root} exists; remove it first")
    r = random.Random(20261128)
    s = lambda n: max(1, int(n * scale))
    # text-like, ~512 MiB: a 200 MiB log, an 80 MiB SQL dump, 40 mid-size files, 6,000 small files
    write_text(f"{root}/text/app.log", r, s(200 * MiB), "log")
    write_text(f"{root}/text/db-dump.sql", r, s(80 * MiB), "sql")
    for i in range(40):
        write_text(f"{root}/text/docs/doc-{i:02d}.txt", r, s(int(2.8 * MiB)), "prose")
    for i in range(6000):
        size = s(int(r.lognormvariate(9.6, 0.8)))  # median ~15 KiB, mean ~20 KiB
        write_text(f"{root}/text/small/d{i // 200:02d}/f{i:04d}.conf", r, size, ("prose", "log")[i % 2])
    # random, ~341 MiB: a 150 MiB and a 60 MiB file, 1,000 small random files
    write_random(f"{root}/random/video.bin", r, s(150 * MiB))
    write_random(f"{root}/random/archive.bin", r, s(60 * MiB))
    for i in range(1000):
        write_random(f"{root}/random/small/r{i // 100:02d}/b{i:04d}.bin", r, s(r.randint(4096, 270000)))
    # duplicates, ~205 MiB: copies of files and a directory of small files
    os.makedirs(f"{root}/dup", exist_ok=True)
    shutil.copyfile(f"{root}/text/db-dump.sql", f"{root}/dup/db-dump-copy.sql")
    shutil.copyfile(f"{root}/random/archive.bin", f"{root}/dup/archive-copy.bin")
    for i in range(0, 40, 2):
        shutil.copyfile(f"{root}/text/docs/doc-{i:02d}.txt", f"{root}/dup/doc-{i:02d}.txt")
    shutil.copytree(f"{root}/random/small/r00", f"{root}/dup/r00")
    shutil.copytree(f"{root}/text/small/d00", f"{root}/dup/d00")
    os.makedirs(f"{root}/empty-dir", exist_ok=True)


def mutate(root):
    """Changes ~1% (~10 MiB) of the corpus: appends, in-place edits, new and deleted files."""
    r = random.Random(777)
    with open(f"{root}/text/app.log", "ab") as f:  # a log grows by 4 MiB
        f.write(text_bytes(r, 4 * MiB, "log"))
    with open(f"{root}/random/video.bin", "r+b") as f:  # 2 MiB overwritten in the middle
        f.seek(70 * MiB)
        f.write(r.randbytes(2 * MiB))
    with open(f"{root}/text/db-dump.sql", "r+b") as f:  # 1 MiB of rows rewritten
        f.seek(33 * MiB)
        f.write(text_bytes(r, 1 * MiB, "sql"))
    for i in r.sample(range(6000), 60):  # 1% of the small text files rewritten
        path = f"{root}/text/small/d{i // 200:02d}/f{i:04d}.conf"
        write_text(path, r, os.path.getsize(path) + 100, "prose")
    for i in range(20):  # new files
        write_text(f"{root}/text/small/new/n{i:02d}.conf", r, 64 * 1024, "prose")
        write_random(f"{root}/random/small/new/n{i:02d}.bin", r, 64 * 1024)
    for i in r.sample(range(1000), 10):  # deleted files
        os.remove(f"{root}/random/small/r{i // 100:02d}/b{i:04d}.bin")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("generate", "mutate"):
        sys.exit(__doc__)
    if sys.argv[1] == "generate":
        scale = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--scale" else 1.0
        generate(sys.argv[2], scale)
    else:
        mutate(sys.argv[2])
