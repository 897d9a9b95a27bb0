// Package smev implements the SMEV transform, urn://smev-gov-ru/xmldsig/transform,
// exactly as the reference Java implementation (ru.voskhod SmevTransformSpi
// on a StAX event stream) behaves; the rules, with where the ports disagree,
// are in smev-xmldsig.md §5.
//
// The transform drops the XML declaration, processing instructions,
// comments and whitespace-only text events (every char <= U+0020, as Java's
// String.trim() sees it; NBSP is kept), writes every element and qualified
// attribute with a generated prefix "nsN" (a counter that is never reset or
// reused within one call; a mapping lives until the element that introduced
// it closes), declares a namespace on the element that first needs it (the
// element's own first, then the attributes' in sorted order), sorts
// attributes (qualified first by namespace URI then local name, unqualified
// after by local name, strings compared by UTF-16 code units) and never
// writes an empty-element tag. An element in no namespace is written as the
// JDK writer does, <nsN:x xmlns:nsN="">, and reported in [Info].
//
// The output escaping is that of the StAX writer the signer used: [Woodstox]
// (MR 3.5.0.x rule 9, the default) or [JDK]. [Info].EscapingMatters says
// whether the two can differ for a given input, so a verifier tries the JDK
// form only when it could match where Woodstox did not.
//
// [Transform] is the two-step reference: it parses octets (normally the
// exclusive canonical form of the referenced element) with c14n.Parse and
// walks the events. [TransformNode] is the fused path: it walks a parsed
// document directly, as if the node-set had been canonicalized and parsed
// again, with no intermediate bytes. Tests and a fuzz target hold the two
// equal for every canonicalization method.
package smev
