// Package c14n parses XML safely and writes the W3C canonical forms of a
// document or of an element subtree: Canonical XML 1.0 and Exclusive XML
// Canonicalization 1.0, each with or without comments, the latter with an
// InclusiveNamespaces PrefixList.
//
// # Parsing
//
// [Parse] accepts XML 1.0 with namespaces and refuses everything a
// signature verifier should not interpret: document type declarations (so no
// entity expansion, XXE or "billion laughs"), undefined entities, encodings
// not in [SupportedEncodings], undeclared prefixes, and inputs over the limits
// [MaxDocumentSize], [MaxTranscodedSize], [MaxNodes], [MaxDepth],
// [MaxAttributes], [MaxNamespacesInScope] and [MaxNameLength]. Errors are
// *[SyntaxError], *[LimitError] or [ErrDTD].
//
// UTF-8 is parsed in place. UTF-16 (found by its byte order mark, XML 1.0
// Appendix F) and the single-byte encodings an XML declaration may name
// (windows-1251, KOI8-R, ISO-8859-5, ISO-8859-1, US-ASCII) are transcoded to
// UTF-8 first ([Decode]); canonical XML is UTF-8 whatever the input was, so
// digests do not depend on it. A byte that is not a character of the
// encoding, or a byte order mark and a declaration that disagree, is an
// error, never a replacement character.
//
// The result is a read-only [Document]: one compact arena of nodes in
// document order, whose strings alias the input where no decoding was
// needed. Canonicalization streams over that arena with small per-element
// stacks; it never copies the tree. A caller that parses message after
// message may hand a Document it is done with back with
// [Document.Release]: the next Parse refills its arrays instead of
// allocating new ones.
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
