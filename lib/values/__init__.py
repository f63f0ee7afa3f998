"""What answers mean, beneath every stage: answer vocabularies in three languages, scales and their points, dates."""
