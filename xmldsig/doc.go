// Package xmldsig verifies the GOST XML signatures of SMEV 3 and SMEV 2
// messages and of plain XMLDSig documents: every ds:Signature in a message,
// each on its own, with typed outcomes and no policy decisions.
//
// # What Verify checks
//
// For each ds:Signature (named by its container: PersonalSignature,
// CallerInformationSystemSignature, SenderInformationSystemSignature,
// SMEVSignature, wsse:Security for SMEV 2, otherwise "Signature[i]"):
//
//   - signature-format: the SignedInfo structure and its algorithms;
//   - reference-digest, one per Reference: the URI is dereferenced ("" the
//     document, "#id" the element carrying Id, ID, id, wsu:Id or xml:id;
//     an id carried twice is refused as signature wrapping, a URI outside
//     the document is refused), the transforms run as written
//     (enveloped-signature, Exclusive C14N 1.0 with InclusiveNamespaces,
//     C14N 1.0 with or without comments, urn://smev-gov-ru/xmldsig/transform),
//     and the digest (GOST R 34.11-2012 256/512 or GOST R 34.11-94, raw
//     output) is compared with DigestValue. The Reference records what it
//     covered and how many bytes were digested;
//   - smev-escaping-fallback, only when a SMEV-transformed reference matched
//     with the JDK writer's escaping and not with the Woodstox escaping that
//     MR 3.5 documents (validation-policy.md);
//   - signer-certificate: KeyInfo/X509Data/X509Certificate, or the
//     wsse:BinarySecurityToken a wsse:SecurityTokenReference points to;
//   - signature-value: SignatureValue (BE(s)||BE(r), base64 with any white
//     space) over SignedInfo canonicalized with its declared method, with
//     the certificate's key, GOST R 34.10-2012 (256, 512) or 2001.
//
// Each check is passed, failed, indeterminate or skipped, with an error
// from errors.go saying why (ErrFormat, ErrDigestMismatch,
// ErrSignatureInvalid, *UnsupportedAlgorithmError, ...). Certificate
// chains, validity periods and revocation are the caller's.
//
// SMEV 3 attachments are reported in Result.Attachments: a
// RefAttachmentHeader's Hash is checked against the bytes supplied in
// Options.Attachments, and the detached CMS SignaturePKCS7 is verified over
// those bytes by the cms package (Attachment.CMS keeps its result). MTOM
// messages are read with ReadMultipart; their xop:Include elements are
// replaced by the parts before digesting, and a missing part makes the
// reference indeterminate (ErrXOPPartMissing) rather than a false mismatch.
//
// # Safety and speed
//
// The XML is parsed once by xmldsig/c14n (no DTDs, named limits; UTF-8 in
// place, UTF-16 and the Cyrillic single-byte encodings its declaration may
// name transcoded to UTF-8 first, see c14n.Decode); every
// canonicalization and transform streams over that parse. Exclusive C14N
// followed by the SMEV transform runs fused (xmldsig/smev.TransformNode):
// straight from the parsed message to the digested bytes, hashed as they
// are produced.
package xmldsig
