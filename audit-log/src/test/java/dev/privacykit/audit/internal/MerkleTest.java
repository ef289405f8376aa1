package dev.privacykit.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RFC 6962 test vectors (from the Certificate Transparency reference tests) and proof round trips.
 */
class MerkleTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String[] LEAVES = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"
  };
  private static final String[] ROOTS = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
  };

  /** Builds a tree over the vector leaves, storing every node as the audit log does. */
  private static Map<ProofBuilder.Node, byte[]> tree(int size, List<byte[]> roots) {
    Map<ProofBuilder.Node, byte[]> nodes = new HashMap<>();
    Frontier frontier = new Frontier();
    for (int i = 0; i < size; i++) {
      byte[] leaf =
          Merkle.leafHash(
              HEX.parseHex(
                  LEAVES[i % LEAVES.length]
                      + (i >= LEAVES.length ? String.format("%02x", i) : "")));
      nodes.put(new ProofBuilder.Node(0, i), leaf);
      for (Frontier.Completed c : frontier.add(leaf)) {
        nodes.put(new ProofBuilder.Node(c.level(), c.index()), c.hash());
      }
      roots.add(frontier.root());
    }
    return nodes;
  }

  @Test
  void rfc6962_roots_match_theReferenceVectors() {
    List<byte[]> roots = new ArrayList<>();
    tree(8, roots);
    for (int i = 0; i < 8; i++) {
      assertThat(HEX.formatHex(roots.get(i))).as("root of %d leaves", i + 1).isEqualTo(ROOTS[i]);
    }
    assertThat(HEX.formatHex(Merkle.emptyRoot()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void rfc6962_inclusionPathOfLeaf0InTree8_matchesTheReferenceVector() {
    Map<ProofBuilder.Node, byte[]> nodes = tree(8, new ArrayList<>());
    List<byte[]> path = new ProofBuilder(wanted -> nodes).inclusion(0, 8);
    assertThat(path.stream().map(HEX::formatHex))
        .containsExactly(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
  }

  @Test
  void everyInclusionProof_verifies_andATamperedOneDoesNot() {
    List<byte[]> roots = new ArrayList<>();
    Map<ProofBuilder.Node, byte[]> nodes = tree(37, roots);
    ProofBuilder builder = new ProofBuilder(wanted -> nodes);
    for (int size = 1; size <= 37; size++) {
      assertThat(builder.root(size)).isEqualTo(roots.get(size - 1));
      for (int m = 0; m < size; m++) {
        List<byte[]> path = builder.inclusion(m, size);
        byte[] leaf = nodes.get(new ProofBuilder.Node(0, m));
        assertThat(Merkle.verifyInclusion(leaf, m, size, path, roots.get(size - 1))).isTrue();
        assertThat(
                Merkle.verifyInclusion(
                    leaf,
                    (m + 1) % size == m ? m : (m + 1) % size,
                    size,
                    path,
                    roots.get(size - 1)))
            .isEqualTo(size == 1);
        if (!path.isEmpty()) {
          List<byte[]> tampered = new ArrayList<>(path);
          byte[] first = tampered.get(0).clone();
          first[0] ^= 1;
          tampered.set(0, first);
          assertThat(Merkle.verifyInclusion(leaf, m, size, tampered, roots.get(size - 1)))
              .isFalse();
        }
      }
    }
  }

  @Test
  void everyConsistencyProof_verifies_andAWrongRootDoesNot() {
    List<byte[]> roots = new ArrayList<>();
    Map<ProofBuilder.Node, byte[]> nodes = tree(37, roots);
    ProofBuilder builder = new ProofBuilder(wanted -> nodes);
    for (int n = 1; n <= 37; n++) {
      for (int m = 1; m <= n; m++) {
        List<byte[]> proof = builder.consistency(m, n);
        assertThat(Merkle.verifyConsistency(m, n, roots.get(m - 1), roots.get(n - 1), proof))
            .as("%d -> %d", m, n)
            .isTrue();
        if (m < n) {
          assertThat(Merkle.verifyConsistency(m, n, roots.get(n - 1), roots.get(n - 1), proof))
              .isFalse();
        }
      }
    }
  }
}
