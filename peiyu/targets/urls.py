app_name = "targets"
urlpatterns = []
