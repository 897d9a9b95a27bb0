package gostsig

// aggregate sets the document's indication from its signatures
// (validation-policy.md, after the decision table): TOTAL_PASSED only when
// there is at least one signature and all pass; otherwise TOTAL_FAILED if
// any failed, else INDETERMINATE. The subindication is that of the first
// signature, in document order, whose indication equals the overall one.
//
// A document with no signature at all is TOTAL_FAILED / FORMAT_FAILURE:
// it is not a signed document of any supported format (POLICY.md).
func aggregate(r *Result) {
	if len(r.Signatures) == 0 {
		r.Indication, r.SubIndication = TotalFailed, FormatFailure
		r.MessageRU = documentMessageRU(TotalFailed, 0)
		return
	}
	overall := TotalPassed
	for i := range r.Signatures {
		switch r.Signatures[i].Indication {
		case TotalFailed:
			overall = TotalFailed
		case Indeterminate:
			if overall == TotalPassed {
				overall = Indeterminate
			}
		}
	}
	r.Indication, r.SubIndication = overall, NoSubIndication
	if overall != TotalPassed {
		for i := range r.Signatures {
			if r.Signatures[i].Indication == overall {
				r.SubIndication = r.Signatures[i].SubIndication
				break
			}
		}
	}
	r.MessageRU = documentMessageRU(overall, len(r.Signatures))
	if len(r.Signatures) == 1 && overall != TotalPassed {
		r.MessageRU = r.Signatures[0].MessageRU
	}
}
