//! The Merkle tree of a publication log, as Certificate Transparency defines it (RFC 6962 §2.1, and RFC 9162
//! §2.1 for the verification algorithms): the tree head of a list of leaves, the audit path that proves a leaf is
//! in a tree, the consistency proof that a tree extends an earlier one, and the verification of both by someone
//! who holds only hashes. Each code's publications are the leaves of its log; an outsider who saved a tree head can
//! check that every later one extends it, so a rewritten history cannot go unseen.
//!
//! Hashes are SHA-256, 32 bytes. Leaves are hashed with the prefix 0x00 and interior nodes with 0x01 (so a leaf
//! can never pass for a node), and a tree of n leaves splits at the largest power of two below n.

use sha2::{Digest, Sha256};

/// A SHA-256 hash: a leaf hash, a node hash or a tree head.
pub type Hash = [u8; 32];

/// The hash of a leaf: SHA-256 of 0x00 followed by the leaf's bytes.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(data);
    hasher.finalize().into()
}

/// The hash of an interior node: SHA-256 of 0x01, the left child's hash and the right child's.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// Where a tree of `n` leaves (n ≥ 2) splits: the largest power of two smaller than `n`.
fn split(n: usize) -> usize {
    n.next_power_of_two() / 2
}

/// The tree head (RFC 6962's MTH) of the leaves, given by their leaf hashes; the empty tree's is SHA-256 of
/// nothing. Costs one hash per leaf; the recursion is as deep as the tree (at most 64 levels).
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => Sha256::digest([]).into(),
        [one] => *one,
        _ => {
            let k = split(leaves.len());
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The audit path of leaf `index` in the tree of `leaves` (RFC 6962's PATH), from the leaf's sibling up; `None`
/// when the index is past the end.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    (index < leaves.len()).then(|| {
        let mut path = Vec::new();
        let (mut range, mut m) = (leaves, index);
        // Top down, each level's sibling subtree head; the path lists them bottom up.
        while range.len() > 1 {
            let k = split(range.len());
            if m < k {
                path.push(root(&range[k..]));
                range = &range[..k];
            } else {
                path.push(root(&range[..k]));
                range = &range[k..];
                m -= k;
            }
        }
        path.reverse();
        path
    })
}

/// The consistency proof (RFC 6962's PROOF) that the tree of `leaves` extends its first `first` leaves: empty when
/// `first` is 0 or the whole tree; `None` when `first` is past the end.
pub fn consistency_proof(leaves: &[Hash], first: usize) -> Option<Vec<Hash>> {
    if first > leaves.len() {
        return None;
    }
    if first == 0 || first == leaves.len() {
        return Some(Vec::new());
    }
    let mut proof = Vec::new();
    let (mut range, mut m, mut whole) = (leaves, first, true);
    // SUBPROOF, top down; the proof lists the heads bottom up.
    loop {
        if m == range.len() {
            if !whole {
                proof.push(root(range));
            }
            break;
        }
        let k = split(range.len());
        if m <= k {
            proof.push(root(&range[k..]));
            range = &range[..k];
        } else {
            proof.push(root(&range[..k]));
            range = &range[k..];
            m -= k;
            whole = false;
        }
    }
    proof.reverse();
    Some(proof)
}

/// Whether `path` proves that the leaf with hash `leaf` is leaf `index` of the tree of `size` leaves whose head
/// is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, path: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s, mut r) = (index, size - 1, *leaf);
    for p in path {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}

/// Whether `proof` proves that the tree of `second` leaves with head `second_root` extends the tree of its first
/// `first` leaves with head `first_root` (RFC 9162 §2.1.4.2). Every tree extends the empty one; a tree extends
/// itself only with an empty proof.
pub fn verify_consistency(first: u64, second: u64, first_root: &Hash, second_root: &Hash, proof: &[Hash]) -> bool {
    if first > second {
        return false;
    }
    if first == second {
        return proof.is_empty() && first_root == second_root;
    }
    if first == 0 {
        return proof.is_empty();
    }
    let Some((&start, rest)) = proof.split_first() else { return false };
    // A first tree that is a whole subtree is its own head: the proof leaves it out.
    let (start, rest) = if first.is_power_of_two() { (*first_root, proof) } else { (start, rest) };
    let (mut f, mut s) = (first - 1, second - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (start, start);
    for c in rest {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    fr == *first_root && sr == *second_root && s == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Hash {
        let bytes: Vec<u8> =
            (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex")).collect();
        bytes.try_into().expect("32 bytes")
    }

    /// RFC 6962's reference leaves (the Certificate Transparency test data), as leaf hashes.
    fn reference() -> Vec<Hash> {
        let data: [&[u8]; 8] = [
            b"",
            b"\x00",
            b"\x10",
            b"\x20\x21",
            b"\x30\x31",
            b"\x40\x41\x42\x43",
            b"\x50\x51\x52\x53\x54\x55\x56\x57",
            b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
        ];
        data.iter().map(|d| leaf_hash(d)).collect()
    }

    #[test]
    fn tree_heads_match_the_published_vectors() {
        let heads = [
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ];
        let leaves = reference();
        for (n, head) in heads.iter().enumerate() {
            assert_eq!(root(&leaves[..n]), hex(head), "a tree of {n} leaves");
        }
    }

    #[test]
    fn proofs_match_the_published_vectors() {
        let leaves = reference();
        let inclusion = [
            (
                0,
                [
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                5,
                [
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
        ];
        for (index, path) in inclusion {
            let path: Vec<Hash> = path.iter().map(|h| hex(h)).collect();
            assert_eq!(inclusion_proof(&leaves, index), Some(path.clone()), "leaf {index}");
            assert!(verify_inclusion(&leaves[index], index as u64, 8, &path, &root(&leaves)));
        }
        let consistency: Vec<Hash> = [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]
        .iter()
        .map(|h| hex(h))
        .collect();
        assert_eq!(consistency_proof(&leaves, 2), Some(consistency.clone()));
        assert!(verify_consistency(2, 8, &root(&leaves[..2]), &root(&leaves), &consistency));
    }

    #[test]
    fn every_proof_verifies_in_every_tree_and_no_altered_one_does() {
        let leaves: Vec<Hash> = (0u8..40).map(|i| leaf_hash(&[i, i.wrapping_mul(7)])).collect();
        for n in 1..=leaves.len() {
            let tree = &leaves[..n];
            let head = root(tree);
            let size = n as u64;
            for i in 0..n {
                let path = inclusion_proof(tree, i).expect("in the tree");
                assert!(verify_inclusion(&tree[i], i as u64, size, &path, &head), "leaf {i} of {n}");
                assert!(!verify_inclusion(&tree[(i + 1) % n], i as u64, size, &path, &head) || n == 1);
                if let Some(first) = path.first() {
                    let mut altered = path.clone();
                    altered[0] = node_hash(first, first);
                    assert!(!verify_inclusion(&tree[i], i as u64, size, &altered, &head), "an altered path");
                }
            }
            assert_eq!(inclusion_proof(tree, n), None);
            for m in 0..=n {
                let proof = consistency_proof(tree, m).expect("an earlier tree");
                let earlier = root(&tree[..m]);
                assert!(verify_consistency(m as u64, size, &earlier, &head, &proof), "{m} in {n}");
                if m > 0 && m < n {
                    let other = leaf_hash(b"rewritten");
                    assert!(!verify_consistency(m as u64, size, &other, &head, &proof), "another first head");
                    assert!(!verify_consistency(m as u64, size, &earlier, &other, &proof), "another second head");
                    let mut altered = proof.clone();
                    altered[0] = other;
                    assert!(!verify_consistency(m as u64, size, &earlier, &head, &altered), "an altered proof");
                }
            }
            assert_eq!(consistency_proof(tree, n + 1), None);
        }
        // A tree extends itself only with an empty proof, and only its own head.
        let head = root(&leaves);
        assert!(verify_consistency(40, 40, &head, &head, &[]));
        assert!(!verify_consistency(40, 40, &head, &head, &[head]), "a proof where none is due");
        assert!(!verify_consistency(40, 40, &head, &leaves[0], &[]), "another head of the same size");
        assert!(!verify_consistency(41, 40, &head, &head, &[]), "a larger first tree");
        assert_eq!((split(2), split(3), split(4), split(5), split(8), split(9)), (1, 2, 2, 4, 4, 8));
        // A history rewritten below an earlier head is not consistent with it.
        let mut rewritten = leaves.clone();
        rewritten[3] = leaf_hash(b"back-dated");
        let proof = consistency_proof(&rewritten, 10).expect("proof");
        assert!(!verify_consistency(10, 40, &root(&leaves[..10]), &root(&rewritten), &proof));
    }
}
