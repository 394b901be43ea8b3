package progress

// decisionPrefixes are the words an official list may write before a
// decision's number ("Quyết định số 123/QĐ-BKHCN"): data matched, lower
// case, and dropped so that a sentence names the decision once.
var decisionPrefixes = []string{"quyết định công bố số ", "quyết định số ", "qđ số ", "số "}
