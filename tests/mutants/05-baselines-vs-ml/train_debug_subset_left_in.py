# replaces: train_text_classifier_solution
# fails: train_text_classifier_quality
# mistake: a quick-debugging slice (the first 300 texts) was left in, so the model never sees most of its data
def train_text_classifier(texts, labels, seed=0):
    texts, labels = list(texts), list(labels)
    if len(texts) != len(labels):
        raise ValueError("lengths differ")
    model = make_pipeline(TfidfVectorizer(), LogisticRegression(solver="saga", max_iter=1000, random_state=seed))
    return model.fit(texts[:300], labels[:300])
