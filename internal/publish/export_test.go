package publish

// SetImportKeep sets the budget of file bytes an import keeps parsed from
// its claims pass for its write (defaultImportKeep unless set): a test
// takes a tree past it with a small one.
func (s *Service) SetImportKeep(n int64) { s.importKeep = n }
