"""What the API reads and answers, by capability: the OpenAPI document describes every answer."""
