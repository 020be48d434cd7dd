# replaces: train_text_classifier_solution
# fails: train_text_classifier_pipeline, train_text_classifier_quality
# mistake: fits the vectorizer and the classifier separately and returns only the classifier, which cannot read raw text
def train_text_classifier(texts, labels, seed=0):
    texts, labels = list(texts), list(labels)
    if len(texts) != len(labels):
        raise ValueError("lengths differ")
    vectorizer = TfidfVectorizer()
    X = vectorizer.fit_transform(texts)
    return LogisticRegression(solver="saga", max_iter=1000, random_state=seed).fit(X, labels)
