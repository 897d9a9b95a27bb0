package report_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"gostsig.dev/gostsig"
	"gostsig.dev/report"
)

// staticVerifier stands in for *gostsig.Verifier in this example: it
// returns one fixed result, as the verifier would for a document changed
// after signing.
type staticVerifier struct{}

func (staticVerifier) Verify(_ context.Context, in gostsig.Input) (*gostsig.Result, error) {
	sub := gostsig.HashFailure
	return &gostsig.Result{
		Indication: gostsig.TotalFailed, SubIndication: sub,
		MessageRU: gostsig.MessageRU(gostsig.TotalFailed, sub),
		Format:    gostsig.FormatCMS, ValidationTime: in.ValidationTime,
		Signatures: []gostsig.Signature{{
			ID: "signer-1", Indication: gostsig.TotalFailed, SubIndication: sub,
			MessageRU: gostsig.MessageRU(gostsig.TotalFailed, sub), ReasonRU: sub.ReasonRU(),
		}},
	}, nil
}

func Example() {
	// A receiver (an МФЦ) got a signed act whose signature fails and
	// writes the rejection notice of 000_*.txt §4.2.
	c, err := report.LoadCase("../examples/report/notice.yaml")
	if err != nil {
		log.Fatal(err)
	}
	r, err := report.Build(context.Background(), c, report.Options{
		At:       time.Date(2025, 6, 10, 7, 0, 0, 0, time.UTC),
		Verifier: staticVerifier{}, // nil: gostsig.New over the case's files
		Software: "gostsig example",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Due.IsZero(), r.CheckTime.Format(time.RFC3339))
	if err := r.Render(os.Stdout, report.ModeNotice, report.Text); err != nil {
		log.Fatal(err)
	}
	// Output:
	// true 2025-06-10T11:00:00+04:00
	// ГАУ «Многофункциональный центр предоставления государственных и муниципальных услуг» (тестовый)
	// 443010, г. Самара, ул. Центральная, д. 3
	//
	// Исх. № МФЦ-1024 от 10.06.2025
	// ООО «Ромашка»
	// 443001, г. Самара, ул. Садовая, д. 5, оф. 12
	//
	// О невозможности принять электронный документ к исполнению
	//
	// ГАУ «Многофункциональный центр предоставления государственных и муниципальных услуг» (тестовый) сообщает, что электронный документ, полученный от ООО «Ромашка» 09.06.2025, не может быть принят к исполнению, так как электронная подпись нарушена или недействительна:
	//   – документ «Акт № 7 приёма-передачи товара от 30.05.2025» (файл akt.txt.sig, проверка 10.06.2025 11:00:00 (UTC+04:00)): документ изменён после подписания.
	// Просим повторно подписать документ действующей усиленной квалифицированной электронной подписью и направить его заново, не изменяя документ после подписания.
	// Основание: порядок организации защищённого электронного взаимодействия, п. 4.2 (проверка наличия, целостности и действительности электронной подписи другой стороны); проверка выполнена программой gostsig example.
	//
	// заместитель директора  ______________ / Орлова Елена Николаевна /
}
