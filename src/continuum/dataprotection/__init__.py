"""Data protection (issue 18): a person's subject access (LED Arts. 14-15, GDPR Art. 15) and retention
after case closure (review queue, legal holds, erasure that leaves only metadata in the audit log).
The `dpo`'s work; it reads every case record model through `sharing.records.record_models()`."""
