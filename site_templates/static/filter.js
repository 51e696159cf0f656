// Topic pages: show all / answered / unanswered Q&A (the list is complete without this script).
for (const button of document.querySelectorAll(".filter button")) {
  button.addEventListener("click", () => {
    document.getElementById("topic-list").dataset.show = button.dataset.show;
    for (const b of document.querySelectorAll(".filter button")) b.setAttribute("aria-pressed", String(b === button));
  });
}
