"""What people see: documents built from answers, and the plain and Rich writers."""
