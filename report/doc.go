// Package report writes the expert commission's conclusion on the validity
// of an electronic signature (заключение по результатам проверки
// действительности электронной подписи) and the receiver's rejection
// notice, from a case file and the gostsig verifier's results.
//
// The normative content is ../shared/docs/commission-report.md, from the
// CA procedure's §4.3 (seed 001): the conclusion holds the composition of
// the commission, the basis of the check, the result, the data submitted
// and the report (time and place, content and results, justification),
// in that order, followed by an evidence annex and the members' signature
// lines; it is made in two copies, each signed by every member and sealed.
//
// # Contract
//
// LoadCase (or ParseCase) decodes a case file strictly: an unknown,
// missing or ill-typed field is a *CaseError naming the field and its line.
// Build reads every file the case names (a file that cannot be read is a
// *FileError naming it), runs the verifier at the check time over every
// submitted signature, offline unless the case allows the network, and
// returns a Report. Render and WriteOutputs turn a Report into PDF, HTML,
// JSON or text.
//
// The report never re-decides a verdict. Every indication, subindication,
// message, reason and check it prints is the verifier's (gostsig.Result);
// the report only arranges them, names the checks in Russian and adds what
// the commission knows (the case, the evidence list, the due date).
//
// # Determinism
//
// The same case, files and check time give byte-identical JSON, HTML and
// text, and byte-identical PDF: the PDF's dates are the check time (or the
// notice's date), never the clock, and its producer is fixed. The check
// time is the --at option, else the case's check_time, else now.
//
// # Fonts
//
// The PDF uses the Go fonts (golang.org/x/image/font/gofont), compiled into
// the binary and embedded as subsets. A character the font cannot draw is
// printed as <U+XXXX>, never as a box or a question mark.
//
// # Due date
//
// The check is due 10 working days after the application was received
// (§4.3.2; the count starts the next day, Civil Code art. 191). Working
// days follow the federal calendar: weekends, the holidays of Labour Code
// art. 112, and the Government's yearly decree on transfers where this
// package knows it (2025, 2026); other years use art. 112 part 2 and the
// conclusion says so. The case's calendar section adds days off or working
// days, or drops the built-in calendar.
package report
