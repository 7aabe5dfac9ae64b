-- 009_report_indexes.sql - indexes for reading a whole city: reports go
-- term by term (the awards of a term per school, past records of a term per
-- district), the 应助未助 list looks up a child's awards of a term by
-- 身份证号, payments are found by award and summed by term.
CREATE INDEX award_term ON award(term_id, school_id, status, programme_id, amount_fen, application_id);
CREATE INDEX award_idcard_term ON award(idcard, term_id);
CREATE INDEX past_award_term ON past_award(term_id, district_id, school_id, amount_fen);
CREATE INDEX payment_award ON payment(award_id);
CREATE INDEX payment_term ON payment(term_id, programme_id, status);
CREATE INDEX ledger_allocation ON ledger(district_id, term_id, programme_id) WHERE kind = 'allocation';
