// Package c14n parses XML safely and writes the W3C canonical forms of a
// document or of an element subtree: Canonical XML 1.0 and Exclusive XML
// Canonicalization 1.0, each with or without comments, the latter with an
// InclusiveNamespaces PrefixList.
//
// # Parsing
//
// [Parse] accepts XML 1.0 in UTF-8 with namespaces and refuses everything a
// signature verifier should not interpret: document type declarations (so no
// entity expansion, XXE or "billion laughs"), undefined entities, other
// encodings, undeclared prefixes, and inputs over the limits [MaxDocumentSize],
// [MaxNodes], [MaxDepth], [MaxAttributes], [MaxNamespacesInScope] and
// [MaxNameLength]. Errors are *[SyntaxError], *[LimitError] or [ErrDTD].
//
// The result is a read-only [Document]: one compact arena of nodes in
// document order, whose strings alias the input where no decoding was
// needed. Canonicalization streams over that arena with small per-element
// stacks; it never copies the tree.
//
// # Canonicalization
//
// [Canonicalize] writes the node-set "subtree of n minus [Options].Exclude"
// (what XMLDSig same-document references and the enveloped-signature
// transform produce) in the canonical form of [Options].Method:
//
//   - Canonical XML 1.0 (https://www.w3.org/TR/2001/REC-xml-c14n-20010315):
//     an element apex carries every namespace in scope and inherits the
//     xml:* attributes of its ancestors (§2.4).
//   - Exclusive XML Canonicalization 1.0
//     (https://www.w3.org/TR/2002/REC-xml-exc-c14n-20020718/): a namespace
//     is rendered where it is visibly utilized and not already rendered by an
//     output ancestor; InclusivePrefixes ("#default" for the default
//     namespace) are treated as in inclusive canonicalization.
//
// Outputs are byte-identical to libxml2 (lxml) for whole documents in every
// mode and for exclusive canonicalization of any element; for inclusive
// canonicalization of an element this package follows the W3C text where
// lxml's detached-copy approach differs (inherited xml:* attributes,
// inherited default namespace). Comments are kept only by the WithComments
// methods; XMLDSig's rule that a "#id" reference drops comments is the
// caller's to apply ([Method.WithoutComments]).
package c14n
