#!/usr/bin/env python3
"""A second PoDR² v2 implementation, written from primitives/README.md alone.

Recomputes every value of podr2_v2.json (leaf, node, fragment and file hashes, the seed, the
samples of the snapshot) and verifies the recorded proof with its own multiproof climb.
Run: python3 primitives/tests/vectors/verify_v2.py   (exit 0 and "all vectors match" on success)
"""
import hashlib
import json
import os
import sys


def H(person, *parts):
    h = hashlib.blake2b(digest_size=32, person=person)
    for p in parts:
        h.update(p)
    return h.digest()


def leaf_hash(b):
    return H(b"cess/pdp2/leaf", b.ljust(256, b"\0"))


def node(a, b):
    return H(b"cess/pdp2/node", a, b)


def top_of(level):
    while len(level) > 1:
        nxt = [node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def fragment_hash(data):
    leaves = [leaf_hash(data[i:i + 256]) for i in range(0, len(data), 256)] or [leaf_hash(b"")]
    return H(b"cess/pdp2/frag", len(data).to_bytes(8, "little"), top_of(leaves))


def file_id(hashes):
    return H(b"cess/pdp2/file", len(hashes).to_bytes(4, "little"), top_of(hashes))


def fragment(label, seg, col, n):
    out, i = b"", 0
    while len(out) < n:
        out += hashlib.blake2b(label + seg.to_bytes(4, "little") + bytes([col]) + i.to_bytes(4, "little"), digest_size=32).digest()
        i += 1
    return out[:n]


def leaves_of(n):
    return max(1, -(-n // 256))


def expand(seed, c, snapshot):
    """snapshot: {class: [holding, ...]}, holding = dict(file_id, column, lens, width)."""
    table = sorted((q, len(hs)) for q, hs in snapshot.items() if hs)
    total = sum(n << (q + 1) for q, n in table)
    out = []
    for i in range(c):
        last = None
        for t in range(64):
            d = H(b"cess/pdp2/draw", seed, i.to_bytes(4, "little"), t.to_bytes(4, "little"))
            x = int.from_bytes(d[:16], "little") % total
            for q, n in table:
                if x < n << (q + 1):
                    break
                x -= n << (q + 1)
            h = snapshot[q][x >> (q + 1)]
            r = x & ((1 << (q + 1)) - 1)
            L = sum(leaves_of(n) for n in h["lens"])
            if r < L:
                last = (h, r)
                break
            last = (h, r % L)
        h, r = last
        f0 = leaves_of(h["lens"][0])
        seg = min(r // f0, len(h["lens"]) - 1)
        out.append(dict(file_id=h["file_id"], segment=seg, column=h["column"], leaf=r - seg * f0,
                        segments=len(h["lens"]), width=h["width"], fragment_len=h["lens"][seg]))
    return out


def climb(known, n, hashes):
    while n > 1:
        nxt, i = [], 0
        while i < len(known):
            idx, h = known[i]
            if idx ^ 1 >= n:
                parent = h
            elif idx % 2 == 0 and i + 1 < len(known) and known[i + 1][0] == idx + 1:
                parent = node(h, known[i + 1][1])
                i += 1
            else:
                s = hashes.pop(0)
                parent = node(h, s) if idx % 2 == 0 else node(s, h)
            nxt.append((idx >> 1, parent))
            i += 1
        known, n = nxt, -(-n // 2)
    return known[0][1]


def verify(samples, proof):
    targets = sorted({(bytes.fromhex(s["file_id"]), s["segment"] * s["width"] + s["column"], s["leaf"]): s
                      for s in samples}.items())
    n = int.from_bytes(proof[:2], "little")
    assert n == len(targets)
    leaves = [proof[2 + 256 * j:2 + 256 * (j + 1)] for j in range(n)]
    rest = proof[2 + 256 * n:]
    h = int.from_bytes(rest[:2], "little")
    assert len(rest) == 2 + 32 * h
    hashes = [rest[2 + 32 * j:2 + 32 * (j + 1)] for j in range(h)]
    j = 0
    for fid in sorted({t[0][0] for t in targets}):
        in_file = [t for t in targets if t[0][0] == fid]
        roots = []
        for frag in sorted({t[0][1] for t in in_file}):
            in_frag = [t for t in in_file if t[0][1] == frag]
            known = []
            for (_, _, leaf), _s in in_frag:
                known.append((leaf, leaf_hash(leaves[j])))
                j += 1
            s = in_frag[0][1]
            top = climb(known, leaves_of(s["fragment_len"]), hashes)
            roots.append((frag, H(b"cess/pdp2/frag", s["fragment_len"].to_bytes(8, "little"), top)))
        s = in_file[0][1]
        count = s["segments"] * s["width"]
        if H(b"cess/pdp2/file", count.to_bytes(4, "little"), climb(roots, count, hashes)) != fid:
            return False
    return not hashes


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "podr2_v2.json")
    v = json.load(open(path))
    assert leaf_hash(bytes(range(256))).hex() == v["leaf_hash_of_bytes_0_to_255"]
    assert leaf_hash(b"\x07").hex() == v["leaf_hash_of_byte_7"]
    assert node(bytes.fromhex(v["leaf_hash_of_bytes_0_to_255"]), bytes.fromhex(v["leaf_hash_of_byte_7"])).hex() == v["node_hash_of_those_two"]
    files = []
    for f in v["files"]:
        lens = f["fragment_lens"]
        width = f["k"] + f["m"]
        hashes = [fragment_hash(fragment(f["label"].encode(), s, c, lens[s])) for s in range(len(lens)) for c in range(width)]
        assert [x.hex() for x in hashes] == f["fragment_hashes"], f["label"]
        assert file_id(hashes).hex() == f["file_id"], f["label"]
        files.append(dict(lens=lens, width=width, file_id=f["file_id"]))
    seed = H(b"cess/pdp2/seed", bytes.fromhex(v["randomness"]), v["round"].to_bytes(4, "little"), bytes.fromhex(v["miner"]))
    assert seed.hex() == v["seed"]
    snapshot = {}
    for fi, col in v["holdings"]:
        h = dict(files[fi], column=col)
        L = sum(leaves_of(n) for n in h["lens"])
        snapshot.setdefault(L.bit_length() - 1, []).append(h)
    assert expand(seed, v["c"], snapshot) == v["samples"]
    proof = bytes.fromhex(v["proof"])
    assert verify(v["samples"], proof)
    bad = bytearray(proof)
    bad[10] ^= 1
    assert not verify(v["samples"], bytes(bad))
    print("all vectors match")


if __name__ == "__main__":
    sys.exit(main())
